using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Tests.Fakes;

namespace PrecisionMed.Core.Tests.Pipeline;

[Trait("Tier", "Fast")]
public sealed class LabFileStatusReaderTests
{
    private static readonly byte[] Bundle = TestFiles.IgExample("Bundle-bundle-oncology-diagnostic.json");

    [Fact]
    public async Task ReadAsync_ProcessedFile_FileWithItsUnits()
    {
        using var harness = new PipelineHarness();
        await harness.DropAsync(Bundle);
        await harness.Work.HandleAsync(harness.Queue.Messages[0], TestContext.Current.CancellationToken);

        var status = await harness.StatusReader.ReadAsync(PipelineHarness.FileIdOf(Bundle), TestContext.Current.CancellationToken);

        Assert.NotNull(status);
        Assert.Equal(FileState.Completed, status.File.State);
        Assert.Equal(UnitState.Completed, Assert.Single(status.Units).State);
        Assert.Null(await harness.StatusReader.ReadAsync("no-such-file", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ListAsync_ByState_FailedFileWithUnitCountsAndLastProblem()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        var failed = TestFiles.IgExample("Bundle-bundle-pgxexample.json");
        await harness.DropAsync(failed, "2026/a.json");
        await harness.Poison.HandleAsync(harness.Queue.Messages[^1], ct);
        await harness.DropAsync(Bundle, "2026/b.json");
        await harness.Work.HandleAsync(harness.Queue.Messages[^1], ct);

        var page = await harness.StatusReader.ListAsync(FileState.Failed, LabFileStatusReader.DefaultPageSize, continuation: null, ct);

        var summary = Assert.Single(page.Files);
        Assert.Null(page.Continuation);
        Assert.Equal(PipelineHarness.FileIdOf(failed), summary.FileId);
        Assert.Equal(PipelineHarness.LabId, summary.LabId);
        Assert.Equal(Core.LabReports.LabFileFormat.FhirJson, summary.Format);
        Assert.Equal(FileState.Failed, summary.State);
        Assert.Equal(new Dictionary<UnitState, int> { [UnitState.Failed] = 1 }, summary.Units);
        Assert.Contains("every delivery attempt", summary.LastProblem?.Reason, StringComparison.Ordinal);
        Assert.Equal(FixedTimeProvider.DefaultNow, summary.ReceivedAt);
        Assert.Equal(FileState.Completed, Assert.Single((await harness.StatusReader.ListAsync(FileState.Completed, 10, null, ct)).Files).State);
        Assert.Empty((await harness.StatusReader.ListAsync(FileState.Rejected, 10, null, ct)).Files);
    }

    [Fact]
    public async Task ListAsync_MoreFilesThanAPage_ContinuationWalksThemAll()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        var names = TestFiles.IgExampleNames.Take(3).ToList();
        foreach (var name in names) await harness.DropAsync(TestFiles.IgExample(name), "2026/" + name);

        var seen = new List<string>();
        string? continuation = null;
        do
        {
            var page = await harness.StatusReader.ListAsync(state: null, pageSize: 2, continuation, ct);
            Assert.InRange(page.Files.Count, 1, 2);
            seen.AddRange(page.Files.Select(f => f.FileId));
            continuation = page.Continuation;
        }
        while (continuation is not null);

        Assert.Equal(names.Select(n => PipelineHarness.FileIdOf(TestFiles.IgExample(n))).Order(), seen.Order());
    }
}
