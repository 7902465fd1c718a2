using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Replay;
using PrecisionMed.Core.Pipeline.Work;
using PrecisionMed.Core.Tests.Fakes;

namespace PrecisionMed.Core.Tests.Pipeline;

/// <summary>
/// A FHIR service that fails transiently puts the unit back on the queue with a growing delay, Waiting in the ledger,
/// instead of spending the queue's dequeue count: stale and duplicate copies do nothing, the budget ends in Failed.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class TransientRetryTests
{
    private static readonly byte[] Bundle = TestFiles.IgExample("Bundle-bundle-oncology-diagnostic.json");
    private static readonly byte[] TwoReports = Encoding.UTF8.GetBytes(SyntheticBundles.TwoReportsSharingAPatient);
    private static readonly FhirTransientException Unavailable = new("The FHIR service answered HTTP 503 after retries.", statusCode: 503);
    private static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(15);

    [Fact]
    public async Task HandleAsync_TransientFailure_UnitWaitingAndItsItemQueuedAgainWithADelay()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        await harness.DropAsync(Bundle);
        harness.Writer.FailWith = Unavailable;
        var now = harness.Clock.GetUtcNow();

        var outcome = await harness.Work.HandleAsync(harness.Queue.Messages[0], ct);

        Assert.Equal(WorkOutcome.Waiting, outcome);
        Assert.Equal(2, harness.Queue.Items.Count);
        var delay = harness.Queue.Delays[1];
        Assert.InRange(delay, BaseDelay / 2, BaseDelay);
        // As the queue carries them (the ledger-only fields, blob name and version, are never serialised).
        Assert.Equal(WorkItem.TryParse(harness.Queue.Messages[0])! with { Attempt = 1, FailingSince = now }, WorkItem.TryParse(harness.Queue.Messages[1]));
        var unit = await harness.UnitAsync(Bundle);
        Assert.Equal((UnitState.Waiting, 1, now + delay, now), (unit.State, unit.Attempt, unit.NextAttemptAt, unit.FailingSince));
        Assert.Equal("the FHIR service answered HTTP 503", unit.WaitingReason);
        Assert.Null(unit.ClaimedUntil);
        Assert.Contains(unit.History, e => e.What == "Waiting: the FHIR service answered HTTP 503");
        Assert.Equal(FileState.Split, (await harness.FileAsync(Bundle)).State);
        Assert.True(harness.Store.Exists(PipelineHarness.Incoming()));
        Assert.DoesNotContain(PipelineHarness.BlobName, harness.Queue.Messages[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_DelayedCopyAfterTheServiceIsBack_CompletesAndClearsTheWait()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        await harness.DropAsync(Bundle);
        harness.Writer.FailWith = Unavailable;
        await harness.Work.HandleAsync(harness.Queue.Messages[0], ct);
        harness.Writer.FailWith = null;
        harness.Clock.Advance(BaseDelay);

        var outcome = await harness.Work.HandleAsync(harness.Queue.Messages[1], ct);

        Assert.Equal(WorkOutcome.Completed, outcome);
        var unit = await harness.UnitAsync(Bundle);
        Assert.Equal((UnitState.Completed, 1), (unit.State, unit.Attempt));
        Assert.Null(unit.NextAttemptAt);
        Assert.Null(unit.WaitingReason);
        Assert.Equal(FileState.Completed, (await harness.FileAsync(Bundle)).State);
        Assert.Single(harness.Writer.Written);
    }

    [Fact]
    public async Task HandleAsync_StaleCopyOfTheDeferredMessage_DoesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        await harness.DropAsync(Bundle);
        harness.Writer.FailWith = Unavailable;
        await harness.Work.HandleAsync(harness.Queue.Messages[0], ct);
        harness.Writer.FailWith = null;
        var saves = harness.Ledger.SaveCount;

        // The first message again: the host stopped after queuing its successor, before deleting it.
        var outcome = await harness.Work.HandleAsync(harness.Queue.Messages[0], ct);

        Assert.Equal(WorkOutcome.Superseded, outcome);
        Assert.Equal(saves, harness.Ledger.SaveCount);
        Assert.Equal(2, harness.Queue.Items.Count);
        Assert.Empty(harness.Writer.Written);
        Assert.Equal(UnitState.Waiting, (await harness.UnitAsync(Bundle)).State);
    }

    [Fact]
    public async Task HandleAsync_DelayedCopyDeliveredTwiceWhileStillFailing_OnlyOneQueuesTheNext()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        await harness.DropAsync(Bundle);
        harness.Writer.FailWith = Unavailable;
        await harness.Work.HandleAsync(harness.Queue.Messages[0], ct);
        harness.Clock.Advance(BaseDelay);

        var first = await harness.Work.HandleAsync(harness.Queue.Messages[1], ct);
        var second = await harness.Work.HandleAsync(harness.Queue.Messages[1], ct);

        Assert.Equal((WorkOutcome.Waiting, WorkOutcome.Superseded), (first, second));
        Assert.Equal([0, 1, 2], harness.Queue.Items.Select(i => i.Attempt));
        Assert.Equal(2, (await harness.UnitAsync(Bundle)).Attempt);
    }

    [Fact]
    public async Task HandleAsync_UnitClaimedByADeliveryThatDiedAfterQueuingItsSuccessor_TheSuccessorTakesOver()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        // What a stop between queuing the next attempt and recording Waiting leaves: the unit claimed for 10 minutes.
        var (item, _) = await ClaimedByFirstDeliveryAsync(harness, ct);

        Assert.Equal(WorkOutcome.InProgress, await harness.Work.HandleAsync(item.ToJson(), ct));
        var outcome = await harness.Work.HandleAsync((item with { Attempt = 1, FailingSince = harness.Clock.GetUtcNow() }).ToJson(), ct);

        Assert.Equal(WorkOutcome.Completed, outcome);
        Assert.Equal(UnitState.Completed, (await harness.UnitAsync(Bundle)).State);
    }

    /// <summary>
    /// The deferral queues the next message before it records Waiting; when that message comes at once (a short last
    /// delay) its claim can lose to the Waiting record. It reads the unit again and goes on: dropped, it would leave the
    /// unit Waiting with nothing queued.
    /// </summary>
    [Fact]
    public async Task HandleAsync_SuccessorsClaimLosesToTheWaitingRecordOfTheDeferralThatQueuedIt_ReadsAgainAndCompletes()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        var now = harness.Clock.GetUtcNow();
        // Delivery 0 has claimed the unit and queued attempt 1; it records Waiting just as attempt 1 tries to claim.
        var (item, claimed) = await ClaimedByFirstDeliveryAsync(harness, ct);
        harness.Ledger.BeforeNextUnitSave = () => harness.Ledger.SaveUnitAsync(
            claimed.Wait("the FHIR service could not be reached", 1, now, now, again: false) with { FailingSince = now }, ct);

        var outcome = await harness.Work.HandleAsync((item with { Attempt = 1, FailingSince = now }).ToJson(), ct);

        Assert.Equal(WorkOutcome.Completed, outcome);
        var unit = await harness.UnitAsync(Bundle);
        Assert.Equal((UnitState.Completed, 1), (unit.State, unit.Attempt));
        Assert.Null(harness.Ledger.BeforeNextUnitSave); // the race ran
    }

    /// <summary>The bundle dropped and its unit claimed for ten minutes by the first delivery (attempt 0) of its work item.</summary>
    private static async Task<(WorkItem Item, LedgerUnit Claimed)> ClaimedByFirstDeliveryAsync(PipelineHarness harness, CancellationToken ct)
    {
        await harness.DropAsync(Bundle);
        var item = harness.Queue.Items[0];
        var now = harness.Clock.GetUtcNow();
        var claimed = await harness.Ledger.SaveUnitAsync((await harness.UnitAsync(Bundle)).Claim(item.ContentHash, 0, now + TimeSpan.FromMinutes(10), now), ct);
        return (item, claimed);
    }

    [Fact]
    public async Task HandleAsync_KeepsFailing_DelaysDoubleUpToTheCap()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        await harness.DropAsync(Bundle);
        harness.Writer.FailWith = Unavailable;

        for (var attempt = 0; attempt < 8; attempt++)
        {
            Assert.Equal(WorkOutcome.Waiting, await harness.Work.HandleAsync(harness.Queue.Messages[^1], ct));
            harness.Clock.Advance(harness.Queue.Delays[^1]);
        }

        var delays = harness.Queue.Delays.Skip(1).ToList();
        for (var i = 0; i < delays.Count; i++)
        {
            var step = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, BaseDelay.Ticks << i));
            Assert.InRange(delays[i], step / 2, step);
        }

        var unit = await harness.UnitAsync(Bundle);
        Assert.Equal((8, FixedTimeProvider.DefaultNow), (unit.Attempt, unit.FailingSince));
        Assert.Single(unit.History, e => e.What.StartsWith("Waiting", StringComparison.Ordinal)); // one event a run of failures
    }

    [Fact]
    public async Task HandleAsync_StillFailingPastTheBudget_UnitFailedWithTheReasonAndFileFailed()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness(o => o.TransientRetryBudget = TimeSpan.FromHours(1));
        await harness.DropAsync(Bundle);
        harness.Writer.FailWith = new FhirTransientException("The FHIR service could not be reached after retries.", new HttpRequestException("refused"));
        while ((await harness.UnitAsync(Bundle)).State != UnitState.Failed)
        {
            Assert.True(harness.Queue.Items.Count < 50, "the budget never ran out");
            await harness.Work.HandleAsync(harness.Queue.Messages[^1], ct);
            harness.Clock.Advance(harness.Queue.Delays[^1]);
        }

        var unit = await harness.UnitAsync(Bundle);
        Assert.Contains("the FHIR service could not be reached on every attempt for longer than the retry budget (Pipeline:TransientRetryBudget 01:00:00)", unit.Problem!.Reason, StringComparison.Ordinal);
        Assert.Contains(PipelineHarness.CorrelationId, unit.Problem.Reason, StringComparison.Ordinal);
        Assert.Null(unit.NextAttemptAt);
        Assert.Equal(FileState.Failed, (await harness.FileAsync(Bundle)).State);
        Assert.True(harness.Store.Exists(PipelineHarness.Incoming()));
        Assert.Contains("retry budget", harness.ErrorReport(PipelineHarness.UnitErrorReportOf(Bundle, 0)).Reason, StringComparison.Ordinal);
        // The last attempt fell on the budget's end: the waits add up to it exactly.
        Assert.Equal(TimeSpan.FromHours(1), harness.Queue.Delays.Skip(1).Aggregate(TimeSpan.Zero, (a, b) => a + b));
        Assert.Equal(harness.Queue.Items.Count - 1, unit.Attempt);
        Assert.DoesNotContain(harness.Logs.Messages, m => m.Contains(PipelineHarness.BlobName, StringComparison.Ordinal));
    }

    [Fact]
    public async Task HandleAsync_ZeroBudget_FailedAtTheFirstTransientFailure()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness(o => o.TransientRetryBudget = TimeSpan.Zero);
        await harness.DropAsync(Bundle);
        harness.Writer.FailWith = Unavailable;

        Assert.Equal(WorkOutcome.Failed, await harness.Work.HandleAsync(harness.Queue.Messages[0], ct));

        Assert.Single(harness.Queue.Items);
        Assert.Equal(UnitState.Failed, (await harness.UnitAsync(Bundle)).State);
    }

    [Fact]
    public async Task TryFinishAsync_OneUnitCompletedOneWaiting_FileNotFinished()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        await harness.DropAsync(TwoReports);
        Assert.Equal(WorkOutcome.Completed, await harness.Work.HandleAsync(harness.Queue.Messages[0], ct));
        harness.Writer.FailWith = Unavailable;

        Assert.Equal(WorkOutcome.Waiting, await harness.Work.HandleAsync(harness.Queue.Messages[1], ct));

        Assert.Equal(FileState.Split, (await harness.FileAsync(TwoReports)).State);
        Assert.True(harness.Store.Exists(PipelineHarness.Incoming()));
        var summary = (await harness.StatusReader.ListAsync(null, 10, null, ct)).Files.Single();
        Assert.Equal(1, summary.Units[UnitState.Waiting]);
    }

    [Fact]
    public async Task PoisonHandleAsync_OlderCopyOfAWaitingUnit_LeavesItWaiting()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        await harness.DropAsync(Bundle);
        harness.Writer.FailWith = Unavailable;
        await harness.Work.HandleAsync(harness.Queue.Messages[0], ct);

        Assert.Equal(WorkOutcome.Superseded, await harness.Poison.HandleAsync(harness.Queue.Messages[0], ct));

        Assert.Equal(UnitState.Waiting, (await harness.UnitAsync(Bundle)).State);
    }

    [Fact]
    public async Task ReplayAsync_WaitingUnit_QueuedNowWithAFreshBudgetAndTheDelayedCopyGoesStale()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        await harness.DropAsync(Bundle);
        harness.Writer.FailWith = Unavailable;
        await harness.Work.HandleAsync(harness.Queue.Messages[0], ct);
        harness.Writer.FailWith = null;

        var replay = await harness.Replayer.ReplayAsync(PipelineHarness.FileIdOf(Bundle), new ReplayRequest("operator", "FHIR is back", "corr-r"), ct);

        Assert.Equal(ReplayOutcome.Replayed, replay.Outcome);
        Assert.Equal((UnitState.Pending, 2), ((await harness.UnitAsync(Bundle)).State, (await harness.UnitAsync(Bundle)).Attempt));
        var replayed = harness.Queue.Items[2];
        Assert.Equal((2, null, TimeSpan.Zero), (replayed.Attempt, replayed.FailingSince, harness.Queue.Delays[2]));
        Assert.Equal(WorkOutcome.Completed, await harness.Work.HandleAsync(harness.Queue.Messages[2], ct));
        Assert.Equal(WorkOutcome.AlreadyCompleted, await harness.Work.HandleAsync(harness.Queue.Messages[1], ct));
        Assert.Single(harness.Writer.Written);
    }

    [Fact]
    public async Task ReplayAsync_FailedUnitAfterManyAttempts_ReplayIsNotMistakenForAStaleCopy()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness(o => o.TransientRetryBudget = TimeSpan.FromMinutes(2));
        await harness.DropAsync(Bundle);
        harness.Writer.FailWith = Unavailable;
        while ((await harness.UnitAsync(Bundle)).State != UnitState.Failed)
        {
            await harness.Work.HandleAsync(harness.Queue.Messages[^1], ct);
            harness.Clock.Advance(harness.Queue.Delays[^1]);
        }

        harness.Writer.FailWith = null;
        await harness.Replayer.ReplayAsync(PipelineHarness.FileIdOf(Bundle), new ReplayRequest("operator", null, "corr-r"), ct);

        Assert.Equal(WorkOutcome.Completed, await harness.Work.HandleAsync(harness.Queue.Messages[^1], ct));
        Assert.Equal(FileState.Completed, (await harness.FileAsync(Bundle)).State);
    }

    [Fact]
    public void WorkItemJson_FirstAttempt_CarriesNoRetryFieldsAndAnOlderMessageReadsAsAFirstAttempt()
    {
        var item = new WorkItem("f-1", "lab-a", "abc", Core.LabReports.LabFileFormat.Hl7v2, 0, 1, "corr", FixedTimeProvider.DefaultNow);
        var json = JsonNode.Parse(item.ToJson())!.AsObject();
        Assert.False(json.ContainsKey("attempt"));
        Assert.False(json.ContainsKey("failingSince"));

        var older = """{"fileId":"f-1","labId":"lab-a","contentHash":"abc","format":"Hl7v2","unitIndex":0,"unitCount":1,"correlationId":"corr","receivedAt":"2026-03-14T09:26:53+00:00"}""";
        Assert.Equal(item, WorkItem.TryParse(older));

        var retried = item with { Attempt = 3, FailingSince = FixedTimeProvider.DefaultNow };
        Assert.Equal(retried, WorkItem.TryParse(retried.ToJson()));
        Assert.Null(WorkItem.TryParse(older.Replace("\"unitIndex\"", "\"attempt\":-1,\"unitIndex\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void ReasonOf_StatusOrInnerRefusalOrNone_NamesTheCategoryOnly()
    {
        Assert.Equal("the FHIR service answered HTTP 503", TransientRetryScheduler.ReasonOf(Unavailable));
        Assert.Equal("the FHIR service answered HTTP 412", TransientRetryScheduler.ReasonOf(
            new FhirTransientException("412 three times", new FhirRejectedException(412, "error conflict", "error conflict: Patient DOE"))));
        Assert.Equal("the FHIR service could not be reached", TransientRetryScheduler.ReasonOf(new FhirTransientException("refused", new HttpRequestException("x"))));
    }

    [Theory]
    [InlineData(1, 0.0, 15)]
    [InlineData(1, 0.999, 29.985)]
    [InlineData(2, 0.0, 30)]
    [InlineData(3, 0.5, 90)]
    [InlineData(6, 0.0, 450)]
    [InlineData(7, 0.0, 450)]
    [InlineData(1000, 0.0, 450)]
    public void TransientRetryDelay_For_DoublesWithEqualJitterUpToTheCap(int attempt, double jitter, double seconds)
    {
        var delay = TransientRetryDelay.For(attempt, BaseDelay, MaxDelay, jitter);

        Assert.Equal(seconds, delay.TotalSeconds, precision: 2);
    }

    [Fact]
    public void PipelineOptions_WrongRetrySettings_RefusedNamingEachSetting()
    {
        using var services = new ServiceCollection().AddPrecisionMedPipeline()
            .Configure<PipelineOptions>(o =>
            {
                o.TransientRetryBaseDelay = TimeSpan.Zero;
                o.TransientRetryMaxDelay = TimeSpan.FromDays(8);
                o.TransientRetryBudget = TimeSpan.FromHours(-1);
            })
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<PipelineOptions>>().Value);

        Assert.Contains("Pipeline:TransientRetryBaseDelay", error.Message, StringComparison.Ordinal);
        Assert.Contains("Pipeline:TransientRetryMaxDelay", error.Message, StringComparison.Ordinal);
        Assert.Contains("Pipeline:TransientRetryBudget", error.Message, StringComparison.Ordinal);
    }
}
