using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Core.Tests.Pipeline;

[Trait("Tier", "Fast")]
public sealed class LabFileFinisherTests
{
    private const string FileId = "file-1";
    private static readonly byte[] Content = "content"u8.ToArray();

    [Fact]
    public async Task TryFinishAsync_UnknownFile_NothingHappens()
    {
        using var harness = new PipelineHarness();

        await harness.Finisher.TryFinishAsync("no-such-file", TestContext.Current.CancellationToken);

        Assert.Equal(0, harness.Ledger.SaveCount);
    }

    [Fact]
    public async Task TryFinishAsync_UnitStillPending_FileUnchanged()
    {
        using var harness = new PipelineHarness();
        await SeedAsync(harness, UnitState.Completed, UnitState.Pending);

        await harness.Finisher.TryFinishAsync(FileId, TestContext.Current.CancellationToken);

        Assert.Equal(FileState.Split, (await FileAsync(harness)).State);
        Assert.True(harness.Store.Exists(PipelineHarness.Incoming()));
    }

    [Fact]
    public async Task TryFinishAsync_FewerUnitsRecordedThanPlanned_FileUnchanged()
    {
        using var harness = new PipelineHarness();
        await SeedAsync(harness, UnitState.Completed);
        await harness.Ledger.SaveFileAsync((await FileAsync(harness)) with { UnitCount = 2 }, TestContext.Current.CancellationToken);

        await harness.Finisher.TryFinishAsync(FileId, TestContext.Current.CancellationToken);

        Assert.Equal(FileState.Split, (await FileAsync(harness)).State);
    }

    [Fact]
    public async Task TryFinishAsync_AllCompleted_ArchivedThenDeletedFromIncoming()
    {
        using var harness = new PipelineHarness();
        await SeedAsync(harness, UnitState.Completed, UnitState.Completed);

        await harness.Finisher.TryFinishAsync(FileId, TestContext.Current.CancellationToken);

        var file = await FileAsync(harness);
        Assert.Equal(FileState.Completed, file.State);
        Assert.Equal(PipelineHarness.Archive(Content).ToString(), file.StoredAt);
        Assert.Equal([PipelineHarness.Archive(Content).ToString()], harness.Store.Locations);
    }

    [Fact]
    public async Task TryFinishAsync_CopyDoneBeforeACrash_CompletesWithoutTheSource()
    {
        using var harness = new PipelineHarness();
        await SeedAsync(harness, UnitState.Completed);
        await harness.Store.CopyAsync(PipelineHarness.Incoming(), PipelineHarness.Archive(Content), TestContext.Current.CancellationToken);
        await harness.Store.DeleteAsync(PipelineHarness.Incoming(), TestContext.Current.CancellationToken);

        await harness.Finisher.TryFinishAsync(FileId, TestContext.Current.CancellationToken);

        Assert.Equal(FileState.Completed, (await FileAsync(harness)).State);
        Assert.Equal(Content, harness.Store.Get(PipelineHarness.Archive(Content)));
    }

    [Fact]
    public async Task TryFinishAsync_OriginalNowhere_ThrowsAndFileUnchanged()
    {
        using var harness = new PipelineHarness();
        await SeedAsync(harness, UnitState.Completed);
        await harness.Store.DeleteAsync(PipelineHarness.Incoming(), TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<FileNotFoundException>(() => harness.Finisher.TryFinishAsync(FileId, TestContext.Current.CancellationToken));

        Assert.Equal(FileState.Split, (await FileAsync(harness)).State);
    }

    [Fact]
    public async Task TryFinishAsync_HeldUnit_FileHeldOriginalKeptInIncoming()
    {
        using var harness = new PipelineHarness();
        await SeedAsync(harness, UnitState.Completed, UnitState.Held);

        await harness.Finisher.TryFinishAsync(FileId, TestContext.Current.CancellationToken);

        Assert.Equal(FileState.Held, (await FileAsync(harness)).State);
        Assert.Equal([PipelineHarness.Incoming().ToString()], harness.Store.Locations);
    }

    [Fact]
    public async Task TryFinishAsync_FailedAndHeldUnits_FileFailed()
    {
        using var harness = new PipelineHarness();
        await SeedAsync(harness, UnitState.Held, UnitState.Failed);

        await harness.Finisher.TryFinishAsync(FileId, TestContext.Current.CancellationToken);

        Assert.Equal(FileState.Failed, (await FileAsync(harness)).State);
    }

    [Fact]
    public async Task TryFinishAsync_FileAlreadyCompleted_NothingMoved()
    {
        using var harness = new PipelineHarness();
        await SeedAsync(harness, UnitState.Completed);
        await harness.Ledger.SaveFileAsync((await FileAsync(harness)) with { State = FileState.Completed }, TestContext.Current.CancellationToken);
        var saves = harness.Ledger.SaveCount;

        await harness.Finisher.TryFinishAsync(FileId, TestContext.Current.CancellationToken);

        Assert.Equal(saves, harness.Ledger.SaveCount);
        Assert.True(harness.Store.Exists(PipelineHarness.Incoming()));
    }

    [Fact]
    public async Task RejectFileAsync_Problem_CopyReportThenDelete()
    {
        using var harness = new PipelineHarness();
        await SeedAsync(harness, UnitState.Pending);
        var problem = new LabFileProblem(new SourcePosition { Line = 3, Column = 7 }, "bad");

        await harness.Finisher.RejectFileAsync(await FileAsync(harness), problem, units: null, TestContext.Current.CancellationToken);

        Assert.Equal(
            [PipelineHarness.Rejected(Content).ToString(), PipelineHarness.ErrorReportOf(Content).ToString()],
            harness.Store.Locations);
        var report = harness.ErrorReport(PipelineHarness.ErrorReportOf(Content));
        Assert.Equal(problem.Position, report.Position);
        Assert.Null(report.Units);
        var file = await FileAsync(harness);
        Assert.Equal(FileState.Rejected, file.State);
        Assert.Equal(problem, file.Problem);
        Assert.Equal("Rejected: line 3, column 7: bad", file.History[^1].What);
    }

    private static async Task SeedAsync(PipelineHarness harness, params UnitState[] units)
    {
        var ct = TestContext.Current.CancellationToken;
        harness.Store.Put(PipelineHarness.Incoming(), Content);
        await harness.Ledger.SaveFileAsync(
            new LedgerFile
            {
                FileId = FileId,
                LabId = PipelineHarness.LabId,
                BlobName = PipelineHarness.BlobName,
                ContentHash = PipelineHarness.HashOf(Content),
                Format = LabFileFormat.FhirJson,
                State = FileState.Split,
                UnitCount = units.Length,
            },
            ct);
        for (var i = 0; i < units.Length; i++)
            await harness.Ledger.SaveUnitAsync(new LedgerUnit { FileId = FileId, UnitIndex = i, ContentHash = PipelineHarness.HashOf(Content), State = units[i] }, ct);
    }

    private static async Task<LedgerFile> FileAsync(PipelineHarness harness) =>
        await harness.Ledger.FindFileAsync(FileId, TestContext.Current.CancellationToken) ?? throw new InvalidOperationException("No file.");
}
