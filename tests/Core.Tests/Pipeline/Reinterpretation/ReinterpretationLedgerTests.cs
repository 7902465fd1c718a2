using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Reinterpretation;

namespace PrecisionMed.Core.Tests.Pipeline.Reinterpretation;

/// <summary>
/// The pipeline's exactly-once rules on reinterpretation work items: a ledger record per item, created by the run that
/// queues it, claimed by ETag, completed once; a delivery after completion, a stale copy and a delivery while another holds
/// the claim do nothing; the poison message (the queue message as it was) records it Failed; a replay queues the next
/// attempt; the run's progress counts it all.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class ReinterpretationLedgerTests
{
    private const string Run = "reinterpret-run1";

    private static async Task<(ReinterpretationScenario Scenario, RecordingQueue Queue)> PlanAsync()
    {
        var scenario = new ReinterpretationScenario();
        await scenario.ImportAsync("clinvar_source.vcf.gz");
        await scenario.IngestAsync();
        await scenario.ImportAsync("clinvar_target.vcf.gz");
        var queue = new RecordingQueue();
        var plan = await scenario.Harness.Get<ReinterpretationPlanner>().PlanAsync(null, queue, null, Run, TestContext.Current.CancellationToken);
        Assert.Equal(1, plan.Queued);
        return (scenario, queue);
    }

    private static Task<ReinterpretationProgress> ProgressAsync(ReinterpretationScenario scenario) =>
        scenario.Harness.Get<IReinterpretationLedger>().ListAsync(Run, TestContext.Current.CancellationToken).ContinueWith(t => ReinterpretationProgress.Of(t.Result), TaskScheduler.Default);

    [Fact]
    public async Task Handle_TwoDeliveries_AmendedOnceSecondReadsTheLedgerOnly()
    {
        var (scenario, queue) = await PlanAsync();
        using var _ = scenario;
        var ct = TestContext.Current.CancellationToken;
        var handler = scenario.Harness.Get<ReinterpretationWorkHandler>();
        Assert.Equal(new ReinterpretationProgress(1, 0, 0, 0, 0, 1), await ProgressAsync(scenario));

        var first = await handler.HandleAsync(queue.Messages[0], ct);
        var written = scenario.Harness.Writer.Written.Count;
        var second = await handler.HandleAsync(queue.Messages[0], ct);

        Assert.Equal((5, 0), (first.Amended, first.AlreadyDone));
        Assert.Equal((0, 5, 0), (second.Amended, second.AlreadyDone, second.FhirRequests));
        Assert.Equal(written, scenario.Harness.Writer.Written.Count);
        Assert.Equal(new ReinterpretationProgress(1, 1, 0, 0, 0, 0), await ProgressAsync(scenario));
        var record = Assert.Single(await scenario.Harness.Get<IReinterpretationLedger>().ListAsync(Run, ct));
        Assert.Equal((UnitState.Completed, 1, 5), (record.State, record.Deliveries, record.Amended));
    }

    [Fact]
    public async Task Handle_ClaimedByAnotherDelivery_LeftToIt()
    {
        var (scenario, queue) = await PlanAsync();
        using var _ = scenario;
        var ct = TestContext.Current.CancellationToken;
        var ledger = scenario.Harness.Get<IReinterpretationLedger>();
        var record = Assert.Single(await ledger.ListAsync(Run, ct));
        var now = scenario.Harness.Clock.GetUtcNow();
        await ledger.SaveAsync(record.Claim(now + TimeSpan.FromMinutes(5), now), ct);
        var written = scenario.Harness.Writer.Written.Count;

        var outcome = await scenario.Harness.Get<ReinterpretationWorkHandler>().HandleAsync(queue.Messages[0], ct);

        Assert.Equal(ReinterpretationOutcome.Nothing, outcome);
        Assert.Equal(written, scenario.Harness.Writer.Written.Count);
        Assert.Equal(new ReinterpretationProgress(1, 0, 0, 0, 0, 1), await ProgressAsync(scenario));
    }

    [Fact]
    public async Task PoisonMessage_RecordedFailed_ReplayQueuesTheNextAttempt_StaleCopyDoesNothing()
    {
        var (scenario, queue) = await PlanAsync();
        using var _ = scenario;
        var ct = TestContext.Current.CancellationToken;
        var harness = scenario.Harness;
        var original = queue.Messages[0];

        // The Storage Queues extension moves the message as it was (host.json messageEncoding none: the JSON text).
        await harness.Get<ReinterpretationPoisonHandler>().HandleAsync(original, ct);
        await harness.Get<ReinterpretationPoisonHandler>().HandleAsync(original, ct); // a second copy: no change

        var failed = Assert.Single(await harness.Get<IReinterpretationLedger>().ListAsync(Run, ct));
        Assert.Equal((UnitState.Failed, true), (failed.State, failed.Poisoned));
        Assert.Equal(ReinterpretationPoisonHandler.PoisonedProblem, failed.Problem);
        Assert.Equal(new ReinterpretationProgress(1, 0, 0, 0, 1, 0), await ProgressAsync(scenario));
        Assert.Equal(ReinterpretationOutcome.Nothing, await harness.Get<ReinterpretationWorkHandler>().HandleAsync(original, ct)); // given up: a late copy decides nothing

        var replay = await harness.Get<ReinterpretationReplayer>().ReplayAsync(Run, "FHIR restored", queue, ct);

        Assert.Equal(new ReinterpretationReplay(1, 1, 0), replay);
        var again = ReinterpretationWorkItem.TryParse(queue.Messages[^1])!;
        Assert.Equal(2, again.Attempt);
        Assert.Equal(new ReinterpretationProgress(1, 0, 0, 0, 0, 1), await ProgressAsync(scenario));
        Assert.Equal(ReinterpretationOutcome.Nothing, await harness.Get<ReinterpretationWorkHandler>().HandleAsync(original, ct)); // the stale copy
        Assert.Equal(5, (await harness.Get<ReinterpretationWorkHandler>().HandleAsync(queue.Messages[^1], ct)).Amended);
        Assert.Equal(new ReinterpretationProgress(1, 1, 0, 0, 0, 0), await ProgressAsync(scenario));
        Assert.Equal(new ReinterpretationReplay(1, 0, 0), await harness.Get<ReinterpretationReplayer>().ReplayAsync(Run, "again", queue, ct));
        var record = Assert.Single(await harness.Get<IReinterpretationLedger>().ListAsync(Run, ct));
        Assert.Contains(record.History, e => e.What == "Replayed: FHIR restored");
    }

    [Fact]
    public void Record_MovesOnlyAsTheUnitTableAllows()
    {
        var record = ReinterpretationRecord.Pending(new ReinterpretationWorkItem("kd-1", "Patient/1", "DiagnosticReport/1", Run), DateTimeOffset.UnixEpoch);

        Assert.Throws<LedgerTransitionException>(() => record.Complete(ReinterpretationOutcome.Nothing, DateTimeOffset.UnixEpoch));
        Assert.Throws<LedgerTransitionException>(() => record.Replay("not failed", DateTimeOffset.UnixEpoch));
        Assert.Equal(UnitState.Completed, record.Claim(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch).Complete(ReinterpretationOutcome.Nothing, DateTimeOffset.UnixEpoch).State);
    }

    private sealed class RecordingQueue : IReinterpretationQueue
    {
        public List<string> Messages { get; } = [];

        public Task EnqueueAsync(ReinterpretationWorkItem item, TimeSpan delay, CancellationToken cancellationToken)
        {
            Messages.Add(item.ToJson());
            return Task.CompletedTask;
        }
    }
}
