using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Core.Tests.Pipeline;

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
}
