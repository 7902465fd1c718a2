using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Replay;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Core.Tests.Pipeline;

[Trait("Tier", "Fast")]
public sealed class LabFileReplayerTests
{
    private static readonly byte[] Bundle = TestFiles.IgExample("Bundle-bundle-pgxexample.json");
    private static readonly byte[] OtherBundle = TestFiles.IgExample("Bundle-bundle-oncology-diagnostic.json");
    private static readonly ReplayRequest ByOperator = new("operator via pmed", "ticket OPS-7: FHIR service restored", "corr-replay");

    [Fact]
    public async Task ReplayAsync_FailedUnit_ResetToPendingQueuedOnceThenCompletes()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        await FailAsync(harness, Bundle);
        var fileId = PipelineHarness.FileIdOf(Bundle);

        var replay = await harness.Replayer.ReplayAsync(fileId, ByOperator, ct);

        Assert.Equal(ReplayOutcome.Replayed, replay.Outcome);
        Assert.Equal(UnitReplayOutcome.Replayed, Assert.Single(replay.Units).Outcome);
        var unit = await harness.UnitAsync(Bundle);
        Assert.Equal(UnitState.Pending, unit.State);
        Assert.Null(unit.Problem);
        Assert.Equal(1, unit.ReplayCount);
        var replayed = Assert.Single(unit.History, e => e.What.StartsWith("Replay 1 of 3", StringComparison.Ordinal));
        Assert.Contains("requested by operator via pmed (ticket OPS-7: FHIR service restored); was Failed: processing failed", replayed.What, StringComparison.Ordinal);
        Assert.Equal(FileState.Split, (await harness.FileAsync(Bundle)).State);
        Assert.Equal(2, harness.Queue.Items.Count);
        // The trace context is set only while some listener samples the pipeline's activities, and listeners are
        // process-wide: another test class's, running in parallel, may be one at arrival and not at replay.
        Assert.Equal(
            harness.Queue.Items[0] with { CorrelationId = "corr-replay", Attempt = 1, TraceParent = null },
            harness.Queue.Items[1] with { TraceParent = null });

        Assert.Equal(WorkOutcome.Completed, await harness.Work.HandleAsync(harness.Queue.Messages[1], ct));
        Assert.Equal(UnitState.Completed, (await harness.UnitAsync(Bundle)).State);
        Assert.Equal(1, (await harness.UnitAsync(Bundle)).ReplayCount);
        Assert.Equal(FileState.Completed, (await harness.FileAsync(Bundle)).State);
        Assert.True(harness.Store.Exists(PipelineHarness.Archive(Bundle)));
        Assert.False(harness.Store.Exists(PipelineHarness.Incoming()));
    }

    [Fact]
    public async Task ReplayAsync_UnitFailsAgainEveryTime_RefusedAfterMaxReplaysNamingCountAndSetting()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness(o => o.MaxReplays = 2);
        await FailAsync(harness, Bundle);
        var fileId = PipelineHarness.FileIdOf(Bundle);

        for (var i = 1; i <= 2; i++)
        {
            Assert.Equal(ReplayOutcome.Replayed, (await harness.Replayer.ReplayAsync(fileId, ByOperator, ct)).Outcome);
            Assert.Equal(WorkOutcome.Failed, await harness.Poison.HandleAsync(harness.Queue.Messages[^1], ct));
        }

        var queued = harness.Queue.Items.Count;
        var refused = await harness.Replayer.ReplayAsync(fileId, ByOperator, ct);

        Assert.Equal(ReplayOutcome.Refused, refused.Outcome);
        var unit = Assert.Single(refused.Units);
        Assert.Equal(UnitReplayOutcome.LimitReached, unit.Outcome);
        Assert.Contains("already replayed 2 time(s)", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Pipeline:MaxReplays (2)", refused.Message, StringComparison.Ordinal);
        Assert.Equal(queued, harness.Queue.Items.Count);
        var stored = await harness.UnitAsync(Bundle);
        Assert.Equal(UnitState.Failed, stored.State);
        Assert.Equal(2, stored.ReplayCount);
        Assert.Equal(3, stored.History.Count(e => e.What == "Failed on every delivery attempt"));
        Assert.Equal(FileState.Failed, (await harness.FileAsync(Bundle)).State);
    }

    [Fact]
    public async Task ReplayAsync_TwoConcurrentReplays_OnlyOneResetsAndQueues()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        await FailAsync(harness, Bundle);
        var fileId = PipelineHarness.FileIdOf(Bundle);
        var queued = harness.Queue.Items.Count;

        // Both replays read the unit (same ETag) before either saves it.
        var ledger = new RendezvousLedger(harness.Ledger, parties: 2);
        var replayer = new LabFileReplayer(
            ledger, harness.Queue, Options.Create(new PipelineOptions()), harness.Clock, NullLogger<LabFileReplayer>.Instance);
        var replays = await Task.WhenAll(
            Task.Run(() => replayer.ReplayAsync(fileId, ByOperator, ct), ct),
            Task.Run(() => replayer.ReplayAsync(fileId, ByOperator with { RequestedBy = "API" }, ct), ct));

        Assert.Single(replays, r => r.Outcome == ReplayOutcome.Replayed);
        var loser = Assert.Single(replays, r => r.Outcome == ReplayOutcome.Refused);
        Assert.Equal(UnitReplayOutcome.Conflict, Assert.Single(loser.Units).Outcome);
        Assert.Equal(queued + 1, harness.Queue.Items.Count);
        Assert.Equal(1, (await harness.UnitAsync(Bundle)).ReplayCount);
    }

    [Fact]
    public async Task ReplayAsync_CompletedOrUnknownFile_NothingQueued()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        await harness.DropAsync(Bundle);
        await harness.Work.HandleAsync(harness.Queue.Messages[0], ct);

        var completed = await harness.Replayer.ReplayAsync(PipelineHarness.FileIdOf(Bundle), ByOperator, ct);
        var unknown = await harness.Replayer.ReplayAsync("no-such-file", ByOperator, ct);

        Assert.Equal(ReplayOutcome.NothingToReplay, completed.Outcome);
        Assert.Contains("is Completed: no unit is Waiting or Held or Failed", completed.Message, StringComparison.Ordinal);
        Assert.Equal(ReplayOutcome.NotFound, unknown.Outcome);
        Assert.Single(harness.Queue.Items);
    }

    [Fact]
    public async Task ReplayAllAsync_FailedAndCompletedFiles_ReplaysOnlyTheFailed()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        await FailAsync(harness, Bundle);
        await harness.DropAsync(OtherBundle, "2026/other.json");
        await harness.Work.HandleAsync(harness.Queue.Messages[^1], ct);

        var replays = await harness.Replayer.ReplayAllAsync(ByOperator, ct);

        var replay = Assert.Single(replays);
        Assert.Equal(PipelineHarness.FileIdOf(Bundle), replay.FileId);
        Assert.Equal(1, replay.ReplayedCount);
        Assert.Empty(await harness.Replayer.ReplayAllAsync(ByOperator, ct));
    }

    [Fact]
    public async Task ReplayAsync_QueueUnavailable_UnitPutBackFailedAndFileFailed()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        await FailAsync(harness, Bundle);
        harness.Queue.OnEnqueued = (_, _) => throw new IOException("queue down");

        await Assert.ThrowsAsync<IOException>(() => harness.Replayer.ReplayAsync(PipelineHarness.FileIdOf(Bundle), ByOperator, ct));

        var unit = await harness.UnitAsync(Bundle);
        Assert.Equal(UnitState.Failed, unit.State);
        Assert.Equal(0, unit.ReplayCount);
        Assert.NotNull(unit.Problem);
        Assert.Equal(FileState.Failed, (await harness.FileAsync(Bundle)).State);
    }

    [Fact]
    public void ReplayableStates_AreTheFailedHeldAndWaitingOnes()
    {
        Assert.Equal([UnitState.Waiting, UnitState.Held, UnitState.Failed], LabFileReplayer.ReplayableStates.Order());
        Assert.Equal([FileState.Held, FileState.Failed], LabFileReplayer.ReplayableFileStates);
    }

    private static async Task FailAsync(PipelineHarness harness, byte[] content)
    {
        await harness.DropAsync(content);
        Assert.Equal(WorkOutcome.Failed, await harness.Poison.HandleAsync(harness.Queue.Messages[^1], TestContext.Current.CancellationToken));
    }

    /// <summary>Holds every caller of ListUnitsAsync until <c>parties</c> of them have read: a race made certain.</summary>
    private sealed class RendezvousLedger(ILabFileLedger inner, int parties) : ILabFileLedger
    {
        private readonly TaskCompletionSource _allRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _arrived;

        public async Task<IReadOnlyList<LedgerUnit>> ListUnitsAsync(string fileId, CancellationToken cancellationToken)
        {
            var units = await inner.ListUnitsAsync(fileId, cancellationToken);
            if (Interlocked.Increment(ref _arrived) == parties) _allRead.SetResult();
            await _allRead.Task.WaitAsync(cancellationToken);
            return units;
        }

        public Task<LedgerFile?> FindFileAsync(string fileId, CancellationToken cancellationToken) => inner.FindFileAsync(fileId, cancellationToken);

        public Task<bool> HasUnfinishedUnitsAsync(string fileId, CancellationToken cancellationToken) => inner.HasUnfinishedUnitsAsync(fileId, cancellationToken);

        public Task SaveFileAsync(LedgerFile file, CancellationToken cancellationToken) => inner.SaveFileAsync(file, cancellationToken);

        public Task<LedgerUnit?> FindUnitAsync(string fileId, int unitIndex, CancellationToken cancellationToken) =>
            inner.FindUnitAsync(fileId, unitIndex, cancellationToken);

        public Task<LedgerUnit> SaveUnitAsync(LedgerUnit unit, CancellationToken cancellationToken) => inner.SaveUnitAsync(unit, cancellationToken);

        public Task<LedgerFilePage> ListFilesAsync(FileState? state, int pageSize, string? continuation, CancellationToken cancellationToken) =>
            inner.ListFilesAsync(state, pageSize, continuation, cancellationToken);
    }
}
