using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Work;
using PrecisionMed.Core.Tests.Fakes;
using PrecisionMed.Core.Tests.Formats;

namespace PrecisionMed.Core.Tests.Pipeline;

[Trait("Tier", "Fast")]
public sealed class LabFileArrivalHandlerTests
{
    private static readonly byte[] Bundle = TestFiles.IgExample("Bundle-bundle-oncology-diagnostic.json");

    [Fact]
    public async Task HandleAsync_IgBundle_SplitIntoOneUnitAndOneWorkItemQueued()
    {
        using var harness = new PipelineHarness();

        var outcome = await harness.DropAsync(Bundle);

        Assert.Equal(ArrivalOutcome.Queued, outcome);
        var file = await harness.FileAsync(Bundle);
        Assert.Equal(FileState.Split, file.State);
        Assert.Equal(1, file.UnitCount);
        Assert.Equal(LabFileFormat.FhirJson, file.Format);
        Assert.Equal(PipelineHarness.HashOf(Bundle), file.ContentHash);
        Assert.Equal(PipelineHarness.LabId, file.LabId);
        Assert.Equal(PipelineHarness.BlobName, file.BlobName);
        Assert.Equal(FixedTimeProvider.DefaultNow, file.ReceivedAt);
        Assert.Equal(["Received", "Split into 1 unit(s)"], file.History.Select(h => h.What));

        var unit = await harness.UnitAsync(Bundle);
        Assert.Equal(UnitState.Pending, unit.State);
        Assert.Equal(file.ContentHash, unit.ContentHash);

        var item = Assert.Single(harness.Queue.Items);
        // The trace context is set only while some listener samples the pipeline's activities, and listeners are
        // process-wide: another test class's, running in parallel, may be one. PipelineTelemetryTests covers it.
        Assert.Equal(
            new WorkItem(file.FileId, PipelineHarness.LabId, file.ContentHash, LabFileFormat.FhirJson, 0, 1, PipelineHarness.CorrelationId, FixedTimeProvider.DefaultNow) { BlobName = PipelineHarness.BlobName },
            item with { TraceParent = null });
        Assert.True(harness.Store.Exists(PipelineHarness.Incoming()));
        Assert.Empty(harness.Writer.Written);
    }

    [Fact]
    public async Task HandleAsync_IgBundle_WorkItemCarriesNoContent()
    {
        using var harness = new PipelineHarness();

        await harness.DropAsync(Bundle);

        var message = JsonNode.Parse(Assert.Single(harness.Queue.Messages))!.AsObject();
        Assert.Equal(
            ["contentHash", "correlationId", "fileId", "format", "labId", "receivedAt", "unitCount", "unitIndex"],
            message.Select(p => p.Key).Where(key => key != "traceParent").Order(StringComparer.Ordinal)); // traceParent: only while a (process-wide) listener samples
        var bundleText = Encoding.UTF8.GetString(Bundle);
        foreach (var (_, value) in message)
        {
            // Nothing from the file's content: every string value is ours, not the lab's.
            if (value!.GetValueKind() == JsonValueKind.String)
                Assert.DoesNotContain("\"" + value.GetValue<string>() + "\"", bundleText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task HandleAsync_AnyOutcome_LogsNeitherBlobNameNorContent()
    {
        using var harness = new PipelineHarness();

        await harness.DropAsync(Bundle);
        await harness.DropAsync("garbage"u8.ToArray(), "DOE-JANE_garbage.txt");

        Assert.NotEmpty(harness.Logs.Messages);
        Assert.All(harness.Logs.Messages, m => Assert.DoesNotContain("DOE-JANE", m, StringComparison.Ordinal));
    }

    [Fact]
    public async Task HandleAsync_ContentStreamFromTrigger_SameFileAsReopening()
    {
        using var harness = new PipelineHarness();
        harness.Store.Put(PipelineHarness.Incoming(), Bundle);
        using var content = new MemoryStream(Bundle, writable: false);

        var outcome = await harness.Arrival.HandleAsync(PipelineHarness.LabId, PipelineHarness.BlobName, "corr-9", content, TestContext.Current.CancellationToken);

        Assert.Equal(ArrivalOutcome.Queued, outcome);
        Assert.Equal(PipelineHarness.FileIdOf(Bundle), Assert.Single(harness.Queue.Items).FileId);
    }

    [Fact]
    public async Task HandleAsync_SameFileDroppedAgainAfterCompletion_DuplicateArchivedNothingQueued()
    {
        using var harness = new PipelineHarness();
        await harness.DropAsync(Bundle);
        Assert.Equal(WorkOutcome.Completed, await harness.Work.HandleAsync(harness.Queue.Messages[0], TestContext.Current.CancellationToken));

        var outcome = await harness.DropAsync(Bundle);

        Assert.Equal(ArrivalOutcome.Duplicate, outcome);
        var file = await harness.FileAsync(Bundle);
        Assert.Equal(FileState.Completed, file.State);
        Assert.Equal(1, file.DuplicateCount);
        Assert.Single(harness.Queue.Items);
        Assert.Single(harness.Writer.Written);
        Assert.False(harness.Store.Exists(PipelineHarness.Incoming()));
        Assert.Equal(Bundle, harness.Store.Get(PipelineHarness.Archive(Bundle)));
    }

    [Fact]
    public async Task HandleAsync_SameContentUnderAnotherName_ArchivedUnderThatName()
    {
        using var harness = new PipelineHarness();
        await harness.DropAsync(Bundle);
        await harness.Work.HandleAsync(harness.Queue.Messages[0], TestContext.Current.CancellationToken);

        var outcome = await harness.DropAsync(Bundle, "resent.json");

        Assert.Equal(ArrivalOutcome.Duplicate, outcome);
        Assert.Equal(Bundle, harness.Store.Get(PipelineHarness.Archive(Bundle, "resent.json")));
        Assert.False(harness.Store.Exists(PipelineHarness.Incoming("resent.json")));
        Assert.Equal(PipelineHarness.BlobName, (await harness.FileAsync(Bundle)).BlobName);
    }

    [Fact]
    public async Task HandleAsync_TriggerFiresAgainWhileSplit_InProgressNothingMoved()
    {
        using var harness = new PipelineHarness();
        await harness.DropAsync(Bundle);

        var outcome = await harness.Arrival.HandleAsync(PipelineHarness.LabId, PipelineHarness.BlobName, "corr-2", null, TestContext.Current.CancellationToken);

        Assert.Equal(ArrivalOutcome.InProgress, outcome);
        Assert.Single(harness.Queue.Items);
        Assert.True(harness.Store.Exists(PipelineHarness.Incoming()));
        Assert.Equal(0, (await harness.FileAsync(Bundle)).DuplicateCount);
    }

    [Fact]
    public async Task HandleAsync_Garbage_RejectedWithErrorReportAndGoneFromIncoming()
    {
        using var harness = new PipelineHarness();
        var garbage = "this is not a lab file\r\n"u8.ToArray();

        var outcome = await harness.DropAsync(garbage);

        Assert.Equal(ArrivalOutcome.Rejected, outcome);
        Assert.False(harness.Store.Exists(PipelineHarness.Incoming()));
        Assert.Equal(garbage, harness.Store.Get(PipelineHarness.Rejected(garbage)));
        var report = harness.ErrorReport(PipelineHarness.ErrorReportOf(garbage));
        Assert.Contains("could not be recognised", report.Reason, StringComparison.Ordinal);
        Assert.Equal(1, report.Position?.Line);
        Assert.Equal($"incoming/{PipelineHarness.LabId}/{PipelineHarness.BlobName}", report.File);
        Assert.Equal(PipelineHarness.FileIdOf(garbage), report.FileId);
        Assert.Equal(PipelineHarness.LabId, report.LabId);
        Assert.Null(report.Format);
        Assert.Null(report.UnitIndex);
        Assert.Equal(PipelineHarness.PipelineVersion, report.PipelineVersion);
        Assert.Equal(FixedTimeProvider.DefaultNow, report.At);

        var file = await harness.FileAsync(garbage);
        Assert.Equal(FileState.Rejected, file.State);
        Assert.Equal(PipelineHarness.Rejected(garbage).ToString(), file.StoredAt);
        Assert.Equal(report.Reason, file.Problem?.Reason);
        Assert.Empty(harness.Queue.Items);
        Assert.Empty(await harness.Ledger.ListUnitsAsync(file.FileId, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task HandleAsync_GarbageDroppedAgain_DuplicateKeptInRejected()
    {
        using var harness = new PipelineHarness();
        var garbage = "garbage"u8.ToArray();
        await harness.DropAsync(garbage);

        var outcome = await harness.DropAsync(garbage);

        Assert.Equal(ArrivalOutcome.Duplicate, outcome);
        Assert.Equal(garbage, harness.Store.Get(PipelineHarness.Rejected(garbage)));
        Assert.False(harness.Store.Exists(PipelineHarness.Archive(garbage)));
        Assert.Equal(1, (await harness.FileAsync(garbage)).DuplicateCount);
    }

    [Fact]
    public async Task HandleAsync_TruncatedBundle_RejectedWithLineAndColumn()
    {
        using var harness = new PipelineHarness();
        var truncated = Bundle[..1000];

        var outcome = await harness.DropAsync(truncated);

        Assert.Equal(ArrivalOutcome.Rejected, outcome);
        var report = harness.ErrorReport(PipelineHarness.ErrorReportOf(truncated));
        Assert.Equal(1, report.Position?.Line);
        Assert.NotNull(report.Position?.Column);
        Assert.StartsWith("the file is not valid JSON", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_BundleWithoutEntries_RejectedWithPath()
    {
        using var harness = new PipelineHarness();
        var empty = """{"resourceType":"Bundle","type":"collection","entry":[]}"""u8.ToArray();

        await harness.DropAsync(empty);

        var report = harness.ErrorReport(PipelineHarness.ErrorReportOf(empty));
        Assert.Equal("Bundle.entry", report.Position?.Path);
    }

    [Fact]
    public async Task HandleAsync_GzipBundle_QueuedAndProcessed()
    {
        using var harness = new PipelineHarness();
        var gzip = FormatDetectorTests.Gzip(Bundle);

        var outcome = await harness.DropAsync(gzip, "run-7.json.gz");

        Assert.Equal(ArrivalOutcome.Queued, outcome);
        Assert.Equal(WorkOutcome.Completed, await harness.Work.HandleAsync(harness.Queue.Messages[0], TestContext.Current.CancellationToken));
        Assert.Equal(gzip, harness.Store.Get(PipelineHarness.Archive(gzip, "run-7.json.gz")));
    }

    [Fact]
    public async Task HandleAsync_TruncatedGzipBundle_Rejected()
    {
        using var harness = new PipelineHarness();
        var gzip = FormatDetectorTests.Gzip(Bundle);

        var outcome = await harness.DropAsync(gzip[..(gzip.Length / 2)], "run-7.json.gz");

        Assert.Equal(ArrivalOutcome.Rejected, outcome);
        Assert.True(harness.Store.Exists(PipelineHarness.ErrorReportOf(gzip[..(gzip.Length / 2)], "run-7.json.gz")));
    }

    [Fact]
    public async Task HandleAsync_TwoReports_TwoUnitsQueued()
    {
        using var harness = new PipelineHarness();
        var twoReports = Encoding.UTF8.GetBytes(SyntheticBundles.TwoReportsSharingAPatient);

        await harness.DropAsync(twoReports);

        Assert.Equal([0, 1], harness.Queue.Items.Select(i => i.UnitIndex));
        Assert.All(harness.Queue.Items, i => Assert.Equal(2, i.UnitCount));
        Assert.Equal(2, (await harness.FileAsync(twoReports)).UnitCount);
        Assert.Equal(2, (await harness.Ledger.ListUnitsAsync(PipelineHarness.FileIdOf(twoReports), TestContext.Current.CancellationToken)).Count);
    }

    [Fact]
    public async Task HandleAsync_WorkerFinishesBeforeArrivalRecordsSplit_FileStaysCompleted()
    {
        using var harness = new PipelineHarness();
        // A queue worker that picks the message up at once, before the arrival handler's last save.
        harness.Queue.OnEnqueued = (item, ct) => harness.Work.HandleAsync(item, ct);

        await harness.DropAsync(Bundle);

        var file = await harness.FileAsync(Bundle);
        Assert.Equal(FileState.Completed, file.State);
        Assert.Equal(Bundle, harness.Store.Get(PipelineHarness.Archive(Bundle)));
    }

    [Fact]
    public async Task HandleAsync_BlobGoneBeforeTrigger_Throws()
    {
        using var harness = new PipelineHarness();

        await Assert.ThrowsAsync<FileNotFoundException>(() =>
            harness.Arrival.HandleAsync(PipelineHarness.LabId, "gone.json", "corr-3", null, TestContext.Current.CancellationToken));
        Assert.Empty(harness.Ledger.Files);
    }
}
