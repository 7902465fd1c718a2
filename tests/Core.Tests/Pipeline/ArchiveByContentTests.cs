using System.Text.Json.Nodes;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Replay;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Core.Tests.Pipeline;

/// <summary>
/// Originals are kept under their content hash (<c>{area}/{lab}/{hash}/{name}</c>): two files a lab sends under one name
/// are both kept, in archive/, rejected/ and review/, each report's DocumentReference and Provenance naming its own copy;
/// replays and review releases find the original there, and files archived by the old layout are still found.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class ArchiveByContentTests
{
    /// <summary>Labs reuse names like this one (and some put the patient in them).</summary>
    private const string Name = "2026/results.hl7";

    private static readonly byte[] Germline = TestFiles.Read("hl7v2/authored/germline_from_cgexample.hl7");
    private static readonly byte[] Somatic = TestFiles.Read("hl7v2/authored/somatic_braf_from_oncology_diagnostic.hl7");
    private static readonly byte[] Bundle = TestFiles.IgExample("Bundle-bundle-oncology-diagnostic.json");
    private static readonly byte[] OtherBundle = TestFiles.IgExample("Bundle-bundle-pgxexample.json");

    [Fact]
    public async Task TwoFilesOfOneName_BothArchivedEachReportPointingAtItsOwnCopy()
    {
        using var harness = new PipelineHarness();

        await IngestAsync(harness, Germline, Name);
        await IngestAsync(harness, Somatic, Name);

        Assert.Equal(Germline, harness.Store.Get(PipelineHarness.Archive(Germline, Name)));
        Assert.Equal(Somatic, harness.Store.Get(PipelineHarness.Archive(Somatic, Name)));
        Assert.Equal(PipelineHarness.Archive(Germline, Name).ToString(), (await harness.FileAsync(Germline)).StoredAt);
        Assert.Equal(PipelineHarness.Archive(Somatic, Name).ToString(), (await harness.FileAsync(Somatic)).StoredAt);
        Assert.Equal(2, harness.Writer.Written.Count);
        AssertPointsAt(harness.Writer.Written[0], PipelineHarness.Archive(Germline, Name), "x-application/hl7-v2+er7");
        AssertPointsAt(harness.Writer.Written[1], PipelineHarness.Archive(Somatic, Name), "x-application/hl7-v2+er7");
    }

    [Fact]
    public async Task TwoLabBundlesOfOneName_BothArchivedEachWithItsOwnDocumentReference()
    {
        using var harness = new PipelineHarness();

        await IngestAsync(harness, Bundle, "run.json");
        await IngestAsync(harness, OtherBundle, "run.json");

        Assert.Equal(Bundle, harness.Store.Get(PipelineHarness.Archive(Bundle, "run.json")));
        Assert.Equal(OtherBundle, harness.Store.Get(PipelineHarness.Archive(OtherBundle, "run.json")));
        AssertPointsAt(harness.Writer.Written[0], PipelineHarness.Archive(Bundle, "run.json"), "application/fhir+json");
        AssertPointsAt(harness.Writer.Written[^1], PipelineHarness.Archive(OtherBundle, "run.json"), "application/fhir+json");
    }

    [Fact]
    public async Task TwoUnreadableFilesOfOneName_BothKeptInRejectedWithTheirErrorReports()
    {
        using var harness = new PipelineHarness();
        var first = "%PDF-1.7 first"u8.ToArray();
        var second = "%PDF-1.7 second"u8.ToArray();

        Assert.Equal(ArrivalOutcome.Rejected, await harness.DropAsync(first, Name));
        Assert.Equal(ArrivalOutcome.Rejected, await harness.DropAsync(second, Name));

        Assert.Equal(first, harness.Store.Get(PipelineHarness.Rejected(first, Name)));
        Assert.Equal(second, harness.Store.Get(PipelineHarness.Rejected(second, Name)));
        Assert.Equal(PipelineHarness.FileIdOf(first), harness.ErrorReport(PipelineHarness.ErrorReportOf(first, Name)).FileId);
        Assert.Equal(PipelineHarness.FileIdOf(second), harness.ErrorReport(PipelineHarness.ErrorReportOf(second, Name)).FileId);
    }

    [Fact]
    public async Task TwoHeldFilesOfOneName_BothCopiedToReviewAndBothListed()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        await IngestAsync(harness, Germline, "2026/first.hl7");
        var bornLater = Hl7Pid.With(Germline, (7, "19810303"));
        var otherName = Hl7Pid.With(Germline, (5, "OTHERNAME^BRAVO"));

        Assert.Equal(WorkOutcome.Held, await IngestAsync(harness, bornLater, Name));
        Assert.Equal(WorkOutcome.Held, await IngestAsync(harness, otherName, Name));

        Assert.Equal(bornLater, harness.Store.Get(PipelineHarness.ReviewCopy(bornLater, Name)));
        Assert.Equal(otherName, harness.Store.Get(PipelineHarness.ReviewCopy(otherName, Name)));
        Assert.True(harness.Store.Exists(PipelineHarness.HeldReportOf(bornLater, Name, 0)));
        Assert.True(harness.Store.Exists(PipelineHarness.HeldReportOf(otherName, Name, 0)));
        var listed = (await harness.Review.ListAsync(ct)).Select(h => h.FileId).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { PipelineHarness.FileIdOf(bornLater), PipelineHarness.FileIdOf(otherName) }.Order(StringComparer.Ordinal), listed);
    }

    [Fact]
    public async Task ReplayAfterArchiving_ReadsItsOwnCopyNotTheLaterFileOfTheSameName()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        await IngestAsync(harness, Bundle, "run.json");
        await IngestAsync(harness, OtherBundle, "run.json");
        Assert.False(harness.Store.Exists(PipelineHarness.Incoming("run.json")));

        // The first file's unit is to be written again (as after a unit that failed once its file had left incoming/).
        await harness.Ledger.SaveUnitAsync(await harness.UnitAsync(Bundle) with { State = UnitState.Failed }, ct);
        var written = harness.Writer.Written.Count;
        await harness.Replayer.ReplayAsync(PipelineHarness.FileIdOf(Bundle), new ReplayRequest("operator", "test", "corr-replay"), ct);
        Assert.Equal(WorkOutcome.Completed, await harness.Work.HandleAsync(harness.Queue.Messages[^1], ct));

        Assert.Equal(written + 1, harness.Writer.Written.Count);
        Assert.Equal(harness.Writer.Written[0].ToJsonString(), harness.Writer.Written[^1].ToJsonString());
        Assert.Equal(FileState.Completed, (await harness.FileAsync(Bundle)).State);
        Assert.Equal(Bundle, harness.Store.Get(PipelineHarness.Archive(Bundle, "run.json")));
        Assert.Equal(OtherBundle, harness.Store.Get(PipelineHarness.Archive(OtherBundle, "run.json")));
    }

    [Fact]
    public async Task ReleaseAfterTheOriginalWasArchived_ReadsTheArchivedCopy()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        await IngestAsync(harness, Germline, "2026/first.hl7");
        var held = Hl7Pid.With(Germline, (7, "19810303"));
        Assert.Equal(WorkOutcome.Held, await IngestAsync(harness, held, Name));
        // The original left incoming/ for its place under its hash while the report waited for review.
        await harness.Store.CopyAsync(PipelineHarness.Incoming(Name), PipelineHarness.Archive(held, Name), ct);
        await harness.Store.DeleteAsync(PipelineHarness.Incoming(Name), ct);

        var released = Assert.Single(await harness.Review.ReleaseAsync(PipelineHarness.FileIdOf(held), unitIndex: null, ct));

        Assert.Equal(UnitState.Completed, released.State);
        Assert.Equal(FileState.Completed, (await harness.FileAsync(held)).State);
        AssertPointsAt(harness.Writer.Written[^1], PipelineHarness.Archive(held, Name), "x-application/hl7-v2+er7");
        Assert.Empty(await harness.Review.ListAsync(ct));
    }

    [Fact]
    public async Task OldLayoutArchivedFile_FoundByItsHashAndCopiedUnderIt()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        await IngestAsync(harness, Bundle, "run.json");
        // As a version before the hash was in the path left it: archive/{lab}/{name}.
        await harness.Store.DeleteAsync(PipelineHarness.Archive(Bundle, "run.json"), ct);
        harness.Store.Put(PipelineHarness.LegacyArchive("run.json"), Bundle);
        await harness.Ledger.SaveUnitAsync(await harness.UnitAsync(Bundle) with { State = UnitState.Failed }, ct);

        await harness.Replayer.ReplayAsync(PipelineHarness.FileIdOf(Bundle), new ReplayRequest("operator", "test", "corr-replay"), ct);
        Assert.Equal(WorkOutcome.Completed, await harness.Work.HandleAsync(harness.Queue.Messages[^1], ct));

        Assert.Equal(harness.Writer.Written[0].ToJsonString(), harness.Writer.Written[^1].ToJsonString());
        Assert.Equal(Bundle, harness.Store.Get(PipelineHarness.Archive(Bundle, "run.json"))); // where the report's DocumentReference points
        Assert.Equal(Bundle, harness.Store.Get(PipelineHarness.LegacyArchive("run.json")));
    }

    [Fact]
    public async Task ReleaseOfAFileHeldUnderTheOldLayout_ItsReviewCopyAndReasonGo()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        await IngestAsync(harness, Germline, "2026/first.hl7");
        var held = Hl7Pid.With(Germline, (7, "19810303"));
        Assert.Equal(WorkOutcome.Held, await IngestAsync(harness, held, Name));
        // As a version before the hash was in the path left them: review/{lab}/{name} and its .unit-1.held.json.
        var legacyCopy = new LabFileLocation(LabFileAreas.Review, $"{PipelineHarness.LabId}/{Name}");
        var legacyReason = new LabFileLocation(LabFileAreas.Review, $"{PipelineHarness.LabId}/{Name}.unit-1.held.json");
        harness.Store.Put(legacyCopy, harness.Store.Get(PipelineHarness.ReviewCopy(held, Name))!);
        harness.Store.Put(legacyReason, harness.Store.Get(PipelineHarness.HeldReportOf(held, Name, 0))!);
        await harness.Store.DeleteAsync(PipelineHarness.ReviewCopy(held, Name), ct);
        await harness.Store.DeleteAsync(PipelineHarness.HeldReportOf(held, Name, 0), ct);
        Assert.Single(await harness.Review.ListAsync(ct));

        await harness.Review.ReleaseAsync(PipelineHarness.FileIdOf(held), unitIndex: null, ct);

        Assert.Empty(await harness.Review.ListAsync(ct));
        Assert.DoesNotContain(harness.Store.Locations, l => l.StartsWith("review/", StringComparison.Ordinal));
        Assert.Equal(held, harness.Store.Get(PipelineHarness.Archive(held, Name)));
    }

    [Fact]
    public async Task OneOfTwoUnitsRejected_OriginalInRejectedAndWhereTheWrittenReportPoints()
    {
        using var harness = new PipelineHarness();
        var batch = TestFiles.Read("hl7v2/authored/batch_three_messages.hl7");
        var messages = System.Text.Encoding.UTF8.GetString(batch).Split("MSH|");
        messages[2] = Hl7Pid.With(System.Text.Encoding.UTF8.GetBytes("MSH|" + messages[2]), (3, string.Empty)) is var noId
            ? System.Text.Encoding.UTF8.GetString(noId)[4..]
            : messages[2];
        var content = System.Text.Encoding.UTF8.GetBytes(string.Join("MSH|", messages));

        await IngestAsync(harness, content, Name);

        Assert.Equal(FileState.Rejected, (await harness.FileAsync(content)).State);
        Assert.Equal(content, harness.Store.Get(PipelineHarness.Rejected(content, Name)));
        Assert.Equal(content, harness.Store.Get(PipelineHarness.Archive(content, Name)));
        Assert.NotEmpty(harness.Writer.Written);
        Assert.All(harness.Writer.Written, w => AssertPointsAt(w, PipelineHarness.Archive(content, Name), "x-application/hl7-v2+er7"));
    }

    /// <summary>The bundle's DocumentReference to the original and its Provenance both name <paramref name="archived"/>.</summary>
    private static void AssertPointsAt(JsonObject bundle, LabFileLocation archived, string contentType)
    {
        var resources = bundle["entry"]!.AsArray().Select(e => e!["resource"]!).ToList();
        var document = Assert.Single(resources, r => (string?)r["resourceType"] == "DocumentReference" && (string?)r["identifier"]?[0]?["system"] == "urn:precisionmed:sha256");
        var url = "urn:precisionmed:blob:" + Uri.EscapeDataString(archived.ToString()).Replace("%2F", "/", StringComparison.Ordinal);
        Assert.Equal(url, (string?)document["content"]![0]!["attachment"]!["url"]);
        Assert.Equal(contentType, (string?)document["content"]![0]!["attachment"]!["contentType"]);
        var provenance = Assert.Single(resources, r => (string?)r["resourceType"] == "Provenance");
        var source = provenance["entity"]![0]!["what"]!;
        Assert.Equal(archived.ToString(), (string?)source["identifier"]!["value"]);
        Assert.Equal($"DocumentReference/{(string?)document["id"]}", (string?)source["reference"]);
    }

    private static async Task<WorkOutcome> IngestAsync(PipelineHarness harness, byte[] content, string name)
    {
        var queued = harness.Queue.Messages.Count;
        await harness.DropAsync(content, name);
        var outcome = WorkOutcome.Dropped;
        foreach (var message in harness.Queue.Messages.Skip(queued).ToList())
            outcome = await harness.Work.HandleAsync(message, TestContext.Current.CancellationToken);
        return outcome;
    }
}
