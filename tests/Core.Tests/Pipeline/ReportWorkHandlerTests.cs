using System.Text;
using System.Text.Json.Nodes;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Core.Tests.Pipeline;

[Trait("Tier", "Fast")]
public sealed class ReportWorkHandlerTests
{
    private static readonly byte[] Bundle = TestFiles.IgExample("Bundle-bundle-oncology-diagnostic.json");
    private static readonly byte[] TwoReports = Encoding.UTF8.GetBytes(SyntheticBundles.TwoReportsSharingAPatient);

    [Fact]
    public async Task HandleAsync_QueuedUnit_WritesTransactionCompletesUnitAndArchivesFile()
    {
        using var harness = new PipelineHarness();
        await harness.DropAsync(Bundle);

        var outcome = await harness.Work.HandleAsync(harness.Queue.Messages[0], TestContext.Current.CancellationToken);

        Assert.Equal(WorkOutcome.Completed, outcome);
        var written = Assert.Single(harness.Writer.Written);
        Assert.Equal("transaction", written["type"]!.GetValue<string>());
        var puts = written["entry"]!.AsArray().Where(e => e!["request"]!["method"]!.GetValue<string>() == "PUT")
            .Select(e => e!["request"]!["url"]!.GetValue<string>()).ToList();

        var unit = await harness.UnitAsync(Bundle);
        Assert.Equal(UnitState.Completed, unit.State);
        Assert.Null(unit.Problem);
        Assert.NotEmpty(unit.ResourceReferences);
        Assert.Equal(puts.Order(StringComparer.Ordinal), unit.ResourceReferences.Order(StringComparer.Ordinal));
        Assert.StartsWith("DiagnosticReport/", unit.ReportReference, StringComparison.Ordinal);
        Assert.Contains(unit.ReportReference, puts);
        Assert.Equal("DiagnosticReport/Inline-Instance-for-oncology-diagnostic-7", unit.Accession);

        var file = await harness.FileAsync(Bundle);
        Assert.Equal(FileState.Completed, file.State);
        Assert.Equal(PipelineHarness.Archive(Bundle).ToString(), file.StoredAt);
        Assert.False(harness.Store.Exists(PipelineHarness.Incoming()));
        Assert.Equal(Bundle, harness.Store.Get(PipelineHarness.Archive(Bundle)));
        Assert.DoesNotContain(harness.Store.Locations, l => l.StartsWith("rejected/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HandleAsync_QueuedUnit_ProvenanceNamesTheArchivedOriginalTheIncomingNameAndHash()
    {
        using var harness = new PipelineHarness();
        await harness.DropAsync(Bundle);

        await harness.Work.HandleAsync(harness.Queue.Messages[0], TestContext.Current.CancellationToken);

        var provenance = harness.Writer.Written[0]["entry"]!.AsArray()[^1]!["resource"]!;
        var identifiers = provenance["entity"]!.AsArray().Select(e => e!["what"]!["identifier"]!["value"]!.GetValue<string>()).ToList();
        Assert.Equal(
            [PipelineHarness.Archive(Bundle).ToString(), $"incoming/{PipelineHarness.LabId}/{PipelineHarness.BlobName}", PipelineHarness.HashOf(Bundle)],
            identifiers.Take(3));
        Assert.True(harness.Store.Exists(PipelineHarness.Archive(Bundle))); // where the Provenance said it would be

        // The lab's bundle was enriched (the seed knows its BRAF V600E): the knowledge store's version is the last entity.
        Assert.StartsWith("kv-", Assert.Single(identifiers.Skip(3)), StringComparison.Ordinal);
        Assert.Contains(PipelineHarness.PipelineVersion, provenance["agent"]![0]!["who"]!["display"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_Redelivered_AlreadyCompletedNothingWritten()
    {
        using var harness = new PipelineHarness();
        await harness.DropAsync(Bundle);
        var message = harness.Queue.Messages[0];
        await harness.Work.HandleAsync(message, TestContext.Current.CancellationToken);
        var unitBefore = await harness.UnitAsync(Bundle);

        var outcome = await harness.Work.HandleAsync(message, TestContext.Current.CancellationToken);

        Assert.Equal(WorkOutcome.AlreadyCompleted, outcome);
        Assert.Single(harness.Writer.Written);
        Assert.Equal(unitBefore, await harness.UnitAsync(Bundle));
        Assert.Equal(FileState.Completed, (await harness.FileAsync(Bundle)).State);
    }

    [Fact]
    public async Task HandleAsync_FhirServiceRejects_UnitAndFileRejectedOriginalMovedToRejected()
    {
        using var harness = new PipelineHarness();
        await harness.DropAsync(Bundle);
        harness.Writer.FailWith = new FhirRejectedException(422, "error required at Observation.code", "error required at Observation.code: minimum required = 1");

        var outcome = await harness.Work.HandleAsync(harness.Queue.Messages[0], TestContext.Current.CancellationToken);

        Assert.Equal(WorkOutcome.Rejected, outcome);
        var unit = await harness.UnitAsync(Bundle);
        Assert.Equal(UnitState.Rejected, unit.State);
        Assert.Contains("HTTP 422", unit.Problem?.Reason, StringComparison.Ordinal);
        Assert.NotNull(unit.Accession);

        var unitReport = harness.ErrorReport(PipelineHarness.UnitErrorReportOf(Bundle, 0));
        Assert.Equal(0, unitReport.UnitIndex);
        Assert.Equal(LabFileFormat.FhirJson, unitReport.Format);
        Assert.Contains("error required at Observation.code", unitReport.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("minimum required", unit.Problem?.Reason, StringComparison.Ordinal); // server text may quote data
        Assert.Contains("minimum required = 1", unitReport.Detail, StringComparison.Ordinal);
        Assert.Equal($"incoming/{PipelineHarness.LabId}/{PipelineHarness.BlobName}", unitReport.File);

        var file = await harness.FileAsync(Bundle);
        Assert.Equal(FileState.Rejected, file.State);
        Assert.Equal(Bundle, harness.Store.Get(PipelineHarness.Rejected(Bundle)));
        Assert.False(harness.Store.Exists(PipelineHarness.Incoming()));
        Assert.False(harness.Store.Exists(PipelineHarness.Archive(Bundle)));
        var fileReport = harness.ErrorReport(PipelineHarness.ErrorReportOf(Bundle));
        Assert.Equal("1 of 1 report unit(s) were rejected", fileReport.Reason);
        var unitError = Assert.Single(fileReport.Units!);
        Assert.Equal(0, unitError.UnitIndex);
        Assert.Equal(unit.Problem!.Reason, unitError.Reason);
    }

    [Fact]
    public async Task HandleAsync_FhirServiceUnavailable_UnitWaitsAndEverythingIsLeftForTheRetry()
    {
        using var harness = new PipelineHarness();
        await harness.DropAsync(Bundle);
        harness.Writer.FailWith = new FhirTransientException("HTTP 503 after 4 attempts", statusCode: 503);
        var locationsBefore = harness.Store.Locations;

        var outcome = await harness.Work.HandleAsync(harness.Queue.Messages[0], TestContext.Current.CancellationToken);

        Assert.Equal(WorkOutcome.Waiting, outcome);
        Assert.Equal(UnitState.Waiting, (await harness.UnitAsync(Bundle)).State);
        Assert.Equal(FileState.Split, (await harness.FileAsync(Bundle)).State);
        Assert.Equal(locationsBefore, harness.Store.Locations);
        Assert.Equal(Bundle, harness.Store.Get(PipelineHarness.Incoming()));
    }

    [Fact]
    public async Task HandleAsync_RetryAfterTransientFailure_Completes()
    {
        using var harness = new PipelineHarness();
        await harness.DropAsync(Bundle);
        harness.Writer.FailWith = new FhirTransientException("HTTP 429", statusCode: 429);
        Assert.Equal(WorkOutcome.Waiting, await harness.Work.HandleAsync(harness.Queue.Messages[0], TestContext.Current.CancellationToken));
        harness.Writer.FailWith = null;

        var outcome = await harness.Work.HandleAsync(harness.Queue.Messages[1], TestContext.Current.CancellationToken);

        Assert.Equal(WorkOutcome.Completed, outcome);
        Assert.Equal(FileState.Completed, (await harness.FileAsync(Bundle)).State);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("""{"fileId":"f","labId":"lab-a","blobName":"x.json","unitIndex":5,"unitCount":1}""")]
    public async Task HandleAsync_MalformedMessage_DroppedNothingWritten(string message)
    {
        using var harness = new PipelineHarness();

        var outcome = await harness.Work.HandleAsync(message, TestContext.Current.CancellationToken);

        Assert.Equal(WorkOutcome.Dropped, outcome);
        Assert.Equal(0, harness.Ledger.SaveCount);
        Assert.Empty(harness.Store.Locations);
        Assert.Empty(harness.Writer.Written);
    }

    [Fact]
    public async Task HandleAsync_TwoUnits_FileCompletesOnlyAfterTheSecond()
    {
        using var harness = new PipelineHarness();
        await harness.DropAsync(TwoReports);

        Assert.Equal(WorkOutcome.Completed, await harness.Work.HandleAsync(harness.Queue.Messages[0], TestContext.Current.CancellationToken));
        Assert.Equal(FileState.Split, (await harness.FileAsync(TwoReports)).State);
        Assert.True(harness.Store.Exists(PipelineHarness.Incoming()));

        Assert.Equal(WorkOutcome.Completed, await harness.Work.HandleAsync(harness.Queue.Messages[1], TestContext.Current.CancellationToken));
        Assert.Equal(FileState.Completed, (await harness.FileAsync(TwoReports)).State);
        Assert.Equal(TwoReports, harness.Store.Get(PipelineHarness.Archive(TwoReports)));
        Assert.Equal(2, harness.Writer.Written.Count);
        var units = await harness.Ledger.ListUnitsAsync(PipelineHarness.FileIdOf(TwoReports), TestContext.Current.CancellationToken);
        Assert.Equal(["urn:lab:accession|ACC-A", "urn:lab:accession|ACC-B"], units.Select(u => u.Accession));
    }

    [Fact]
    public async Task HandleAsync_OneOfTwoUnitsRejected_FileRejectedListingThatUnit()
    {
        using var harness = new PipelineHarness();
        await harness.DropAsync(TwoReports);
        await harness.Work.HandleAsync(harness.Queue.Messages[0], TestContext.Current.CancellationToken);
        harness.Writer.FailWith = new FhirRejectedException(400, "error invalid", "error invalid: bad");

        var outcome = await harness.Work.HandleAsync(harness.Queue.Messages[1], TestContext.Current.CancellationToken);

        Assert.Equal(WorkOutcome.Rejected, outcome);
        Assert.Equal(FileState.Rejected, (await harness.FileAsync(TwoReports)).State);
        var report = harness.ErrorReport(PipelineHarness.ErrorReportOf(TwoReports));
        Assert.Equal("1 of 2 report unit(s) were rejected", report.Reason);
        Assert.Equal(1, Assert.Single(report.Units!).UnitIndex);
        Assert.True(harness.Store.Exists(PipelineHarness.UnitErrorReportOf(TwoReports, 1)));
        Assert.Equal(TwoReports, harness.Store.Get(PipelineHarness.Rejected(TwoReports)));
    }

    /// <summary>
    /// The lab overwrites the file after its last unit read it (here: while the unit is being written): the file is
    /// Completed from the version that arrived, and the new content stays in incoming/ for its own arrival.
    /// </summary>
    [Fact]
    public async Task HandleAsync_OverwrittenAfterTheLastUnitReadIt_CompletedAndTheNewContentLeftForItsOwnArrival()
    {
        using var harness = new PipelineHarness();
        var ct = TestContext.Current.CancellationToken;
        await harness.DropAsync(Bundle);
        harness.Writer.BeforeWrite = _ =>
        {
            harness.Store.Put(PipelineHarness.Incoming(), TwoReports);
            return null;
        };

        Assert.Equal(WorkOutcome.Completed, await harness.Work.HandleAsync(harness.Queue.Messages[0], ct));

        var file = await harness.FileAsync(Bundle);
        Assert.Equal(FileState.Completed, file.State);
        Assert.Null(file.StoredAt);
        Assert.Equal(TwoReports, harness.Store.Get(PipelineHarness.Incoming()));
        Assert.False(harness.Store.Exists(PipelineHarness.Archive(Bundle)));
    }

    [Fact]
    public async Task HandleAsync_ContentChangedUnderTheSameName_UnitEndedAndNewContentArrivesAsItsOwnFile()
    {
        using var harness = new PipelineHarness();
        var ct = TestContext.Current.CancellationToken;
        await harness.DropAsync(TwoReports);
        // The lab overwrote the blob with a one-report bundle before unit 2 was processed.
        harness.Store.Put(PipelineHarness.Incoming(), Bundle);

        var outcome = await harness.Work.HandleAsync(harness.Queue.Messages[1], ct);

        Assert.Equal(WorkOutcome.Overwritten, outcome);
        var ended = await harness.UnitAsync(TwoReports, 1);
        Assert.Equal(UnitState.Failed, ended.State);
        Assert.Equal(OverwrittenFileHandler.Reason, ended.Problem?.Reason);
        Assert.Empty(harness.Writer.Written);

        // The new content is a file of its own, queued under its own hash; the blob stays where the lab put it.
        var arrived = await harness.FileAsync(Bundle);
        Assert.Equal(FileState.Split, arrived.State);
        Assert.Equal(PipelineHarness.HashOf(Bundle), harness.Queue.Items[^1].ContentHash);
        Assert.Equal(arrived.FileId, harness.Queue.Items[^1].FileId);
        Assert.Equal(Bundle, harness.Store.Get(PipelineHarness.Incoming()));

        // Unit 1 of the old file meets the same end; the old file never moves the new content.
        Assert.Equal(WorkOutcome.Overwritten, await harness.Work.HandleAsync(harness.Queue.Messages[0], ct));
        Assert.Equal(FileState.Failed, (await harness.FileAsync(TwoReports)).State);
        Assert.Equal(Bundle, harness.Store.Get(PipelineHarness.Incoming()));

        Assert.Equal(WorkOutcome.Completed, await harness.Work.HandleAsync(harness.Queue.Messages[^1], ct));
        Assert.Equal(FileState.Completed, (await harness.FileAsync(Bundle)).State);
        var written = Assert.Single(harness.Writer.Written).ToJsonString();
        Assert.Contains(PipelineHarness.HashOf(Bundle), written, StringComparison.Ordinal);
        Assert.DoesNotContain(PipelineHarness.HashOf(TwoReports), written, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_ReplayedFromAnOldLayoutArchiveCopyOfOtherContent_NothingWrittenUnderTheOldHash()
    {
        using var harness = new PipelineHarness();
        var ct = TestContext.Current.CancellationToken;
        await harness.DropAsync(Bundle);
        Assert.Equal(WorkOutcome.Completed, await harness.Work.HandleAsync(harness.Queue.Messages[0], ct));
        // Archived by a version that named the copy archive/{lab}/{name}, and a later file of that name archived over
        // it there; then this file's unit is replayed.
        await harness.Store.DeleteAsync(PipelineHarness.Archive(Bundle), ct);
        harness.Store.Put(PipelineHarness.LegacyArchive(), TwoReports);
        await harness.Ledger.SaveUnitAsync(await harness.UnitAsync(Bundle) with { State = UnitState.Pending }, ct);
        var written = harness.Writer.Written.Count;

        Assert.Equal(WorkOutcome.Overwritten, await harness.Work.HandleAsync(harness.Queue.Messages[0], ct));

        Assert.Equal(written, harness.Writer.Written.Count);
        Assert.Equal(UnitState.Failed, (await harness.UnitAsync(Bundle)).State);
        Assert.Equal(TwoReports, harness.Store.Get(PipelineHarness.LegacyArchive()));
        Assert.False(harness.Store.Exists(PipelineHarness.Archive(Bundle)));
    }

    [Fact]
    public async Task HandleAsync_OriginalInNeitherIncomingNorArchive_ThrowsForTheRetry()
    {
        using var harness = new PipelineHarness();
        await harness.DropAsync(Bundle);
        await harness.Store.DeleteAsync(PipelineHarness.Incoming(), TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<FileNotFoundException>(() => harness.Work.HandleAsync(harness.Queue.Messages[0], TestContext.Current.CancellationToken));

        Assert.Equal(UnitState.Pending, (await harness.UnitAsync(Bundle)).State);
        Assert.Empty(harness.Writer.Written);
    }

    [Fact]
    public async Task HandleAsync_ReplayAfterPoison_CompletesAndArchives()
    {
        using var harness = new PipelineHarness();
        await harness.DropAsync(Bundle);
        await harness.Poison.HandleAsync(harness.Queue.Messages[0], TestContext.Current.CancellationToken);
        Assert.Equal(FileState.Failed, (await harness.FileAsync(Bundle)).State);

        var outcome = await harness.Work.HandleAsync(harness.Queue.Messages[0], TestContext.Current.CancellationToken);

        Assert.Equal(WorkOutcome.Completed, outcome);
        Assert.Equal(FileState.Completed, (await harness.FileAsync(Bundle)).State);
        Assert.Equal(Bundle, harness.Store.Get(PipelineHarness.Archive(Bundle)));
        Assert.Null((await harness.UnitAsync(Bundle)).Problem);
    }

    [Fact]
    public async Task HandleAsync_WrittenBundle_IsValidJsonTransaction()
    {
        using var harness = new PipelineHarness();
        await harness.DropAsync(Bundle);

        await harness.Work.HandleAsync(harness.Queue.Messages[0], TestContext.Current.CancellationToken);

        var json = harness.Writer.Written[0].ToJsonString();
        Assert.Equal("Bundle", JsonNode.Parse(json)!["resourceType"]!.GetValue<string>());
    }
}

/// <summary>Exactly-once effect: the ledger's ETag compare-and-swap lets one delivery of a work item write.</summary>
[Trait("Tier", "Fast")]
public sealed class ReportWorkClaimTests
{
    private static readonly byte[] Bundle = TestFiles.IgExample("Bundle-bundle-oncology-diagnostic.json");

    [Fact]
    public async Task HandleAsync_UnitHeldByAnotherDelivery_WritesNothing()
    {
        using var harness = new PipelineHarness();
        await harness.DropAsync(Bundle);
        var pending = await harness.UnitAsync(Bundle);
        await harness.Ledger.SaveUnitAsync(
            pending with { State = UnitState.Processing, ClaimedUntil = harness.Clock.GetUtcNow().AddMinutes(5) }, TestContext.Current.CancellationToken);

        var outcome = await harness.Work.HandleAsync(harness.Queue.Messages[0], TestContext.Current.CancellationToken);

        Assert.Equal(WorkOutcome.InProgress, outcome);
        Assert.Empty(harness.Writer.Written);
        Assert.Equal(UnitState.Processing, (await harness.UnitAsync(Bundle)).State);
    }

    [Fact]
    public async Task HandleAsync_ClaimLapsed_TakesTheUnitOverAndCompletes()
    {
        using var harness = new PipelineHarness();
        await harness.DropAsync(Bundle);
        var pending = await harness.UnitAsync(Bundle);
        await harness.Ledger.SaveUnitAsync(
            pending with { State = UnitState.Processing, ClaimedUntil = harness.Clock.GetUtcNow().AddMinutes(-1) }, TestContext.Current.CancellationToken);

        var outcome = await harness.Work.HandleAsync(harness.Queue.Messages[0], TestContext.Current.CancellationToken);

        Assert.Equal(WorkOutcome.Completed, outcome);
        var unit = await harness.UnitAsync(Bundle);
        Assert.Equal(UnitState.Completed, unit.State);
        Assert.Null(unit.ClaimedUntil);
    }

    [Fact]
    public async Task SaveUnit_StaleETag_Conflicts()
    {
        using var harness = new PipelineHarness();
        await harness.DropAsync(Bundle);
        var read = await harness.UnitAsync(Bundle);
        await harness.Ledger.SaveUnitAsync(read with { State = UnitState.Processing }, TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<LedgerConflictException>(
            () => harness.Ledger.SaveUnitAsync(read with { State = UnitState.Completed }, TestContext.Current.CancellationToken));
    }
}
