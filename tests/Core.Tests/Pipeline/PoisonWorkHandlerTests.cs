using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Core.Tests.Pipeline;

[Trait("Tier", "Fast")]
public sealed class PoisonWorkHandlerTests
{
    private static readonly byte[] Bundle = TestFiles.IgExample("Bundle-bundle-pgxexample.json");

    [Fact]
    public async Task HandleAsync_PoisonMessage_UnitAndFileFailedErrorReportOriginalKept()
    {
        using var harness = new PipelineHarness();
        await harness.DropAsync(Bundle);

        var outcome = await harness.Poison.HandleAsync(harness.Queue.Messages[0], TestContext.Current.CancellationToken);

        Assert.Equal(WorkOutcome.Failed, outcome);
        var unit = await harness.UnitAsync(Bundle);
        Assert.Equal(UnitState.Failed, unit.State);
        Assert.Contains(PipelineHarness.CorrelationId, unit.Problem?.Reason, StringComparison.Ordinal);

        var report = harness.ErrorReport(PipelineHarness.UnitErrorReportOf(Bundle, 0));
        Assert.Equal(0, report.UnitIndex);
        Assert.Equal(LabFileFormat.FhirJson, report.Format);
        Assert.Equal(unit.Problem?.Reason, report.Reason);

        var file = await harness.FileAsync(Bundle);
        Assert.Equal(FileState.Failed, file.State);
        Assert.Equal(Bundle, harness.Store.Get(PipelineHarness.Incoming()));
        Assert.False(harness.Store.Exists(PipelineHarness.Archive(Bundle)));
        Assert.False(harness.Store.Exists(PipelineHarness.Rejected(Bundle)));
        Assert.Empty(harness.Writer.Written);
    }

    [Fact]
    public async Task HandleAsync_UnitAlreadyCompleted_NothingChanged()
    {
        using var harness = new PipelineHarness();
        await harness.DropAsync(Bundle);
        await harness.Work.HandleAsync(harness.Queue.Messages[0], TestContext.Current.CancellationToken);
        var saves = harness.Ledger.SaveCount;

        var outcome = await harness.Poison.HandleAsync(harness.Queue.Messages[0], TestContext.Current.CancellationToken);

        Assert.Equal(WorkOutcome.AlreadyCompleted, outcome);
        Assert.Equal(saves, harness.Ledger.SaveCount);
        Assert.DoesNotContain(harness.Store.Locations, l => l.EndsWith(".error.json", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"fileId\":42}")]
    public async Task HandleAsync_MalformedMessage_DroppedNothingWritten(string message)
    {
        using var harness = new PipelineHarness();

        var outcome = await harness.Poison.HandleAsync(message, TestContext.Current.CancellationToken);

        Assert.Equal(WorkOutcome.Dropped, outcome);
        Assert.Equal(0, harness.Ledger.SaveCount);
        Assert.Empty(harness.Store.Locations);
    }
}
