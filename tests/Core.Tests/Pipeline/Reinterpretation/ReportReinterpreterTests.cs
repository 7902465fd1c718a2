using System.Text.Json.Nodes;
using PrecisionMed.Core.Knowledge.Diff;
using PrecisionMed.Core.Pipeline.Reinterpretation;

namespace PrecisionMed.Core.Tests.Pipeline.Reinterpretation;

/// <summary>
/// The proof of the issue on the pipeline's ports: a report ingested while the store held ClinVar 2019-08-05, the
/// 2019-09-15 release imported, then the affected report reinterpreted as the queued work would.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class ReportReinterpreterTests
{
    private static async Task<(ReinterpretationScenario Scenario, KnowledgeDiff Diff, AffectedReport Report)> ArrangeAsync(string first, string second)
    {
        var scenario = new ReinterpretationScenario();
        await scenario.ImportAsync(first);
        await scenario.IngestAsync();
        var diff = (await scenario.ImportAsync(second)).Diff!;
        var report = Assert.Single(await new AffectedReportFinder(scenario.Harness.Index).FindAsync(diff.Changes, TestContext.Current.CancellationToken));
        return (scenario, diff, report);
    }

    private static ReinterpretationWorkItem Item(KnowledgeDiff diff, AffectedReport report) => new(diff.Id, report.Patient, report.Report, "corr-reinterpret");

    [Fact]
    public async Task Reinterpret_AfterTheSecondRelease_ImplicationsAmendedWithNoteProvenanceAndNotice()
    {
        var (scenario, diff, report) = await ArrangeAsync("clinvar_source.vcf.gz", "clinvar_target.vcf.gz");
        using var _ = scenario;
        var harness = scenario.Harness;
        var ct = TestContext.Current.CancellationToken;
        var labResources = await SnapshotAsync(scenario, report, except: report.Implications.Select(i => i.Observation));
        var writesBefore = harness.Writer.Written.Count;

        var outcome = await harness.Get<ReportReinterpreter>().ReinterpretAsync(Item(diff, report), ct);

        Assert.Equal((5, 0), (outcome.Amended, outcome.AlreadyDone));
        var transaction = Assert.Single(harness.Writer.Written.Skip(writesBefore));
        var resources = transaction["entry"]!.AsArray().Select(e => e!["resource"]!.AsObject()).ToList();
        Assert.Equal(5, resources.Count(r => (string?)r["resourceType"] == "Observation"));
        Assert.Equal(5, resources.Count(r => (string?)r["resourceType"] == "Provenance"));
        Assert.All(resources.Where(r => (string?)r["resourceType"] == "Observation"),
            o => Assert.Contains($"Observation/{(string?)o["id"]}", report.Implications.Select(i => i.Observation)));

        // ISG15 183381: Pathogenic -> Benign, on the same resource, with the note and the new knowledge version.
        var isg15 = await harness.Writer.ReadAsync(report.Implications.Single(i => i.ChangeKey == "183381").Observation, ct);
        Assert.Equal("amended", (string?)isg15!["status"]);
        Assert.Equal("LA6675-8", Component(isg15, "53037-8")!["valueCodeableConcept"]!["coding"]![0]!["code"]!.GetValue<string>());
        var note = isg15["note"]!.AsArray().Select(n => (string?)n!["text"]).Last();
        Assert.Contains($"from 'Pathogenic' (2019-08-05, knowledge version {report.Implications[0].KnowledgeVersion})", note, StringComparison.Ordinal);
        Assert.Contains($"to 'Benign' (2019-09-15, knowledge version {diff.ToVersion}); knowledge diff {diff.Id}, impact major", note, StringComparison.Ordinal);
        Assert.Contains(diff.ToVersion, (string?)Component(isg15, "conclusion-string")!["valueString"], StringComparison.Ordinal);
        var provenance = resources.Single(r => (string?)r["resourceType"] == "Provenance" && (string?)r["target"]![0]!["reference"] == report.Implications.Single(i => i.ChangeKey == "183381").Observation);
        var entities = provenance["entity"]!.AsArray().Select(e => (string?)e!["what"]!["identifier"]?["value"]).ToList();
        Assert.Contains(diff.Id, entities);
        Assert.Contains(diff.ToVersion, entities);
        Assert.Contains(report.Implications[0].KnowledgeVersion, entities);

        // Notified: the four major changes; 90109's review-status move (impact none) recorded, not notified.
        Assert.Equal((4, 1), (outcome.Notified, outcome.Recorded));
        Assert.Equal(4, harness.Notifier.Reinterpreted.Count);
        var notice = harness.Notifier.Reinterpreted.Single(n => n.OldValue == "Pathogenic" && n.NewValue == "Benign");
        Assert.Equal((report.Patient, report.Report, ClinicalImpact.Major, "amended"), (notice.PatientReference, notice.ReportReference, notice.Impact, notice.Status));
        Assert.DoesNotContain("patient-", string.Concat(harness.Notifier.Reinterpreted.Select(n => n.ToJson())), StringComparison.Ordinal);

        // The lab's resources (and every resource of the report but our implications) untouched; the index follows.
        Assert.Equal(labResources, await SnapshotAsync(scenario, report, except: report.Implications.Select(i => i.Observation)));
        var indexed = (await harness.Index.ReadSubjectAsync(report.Patient, ct)).Single(r => r.Report == report.Report);
        var indexedIsg15 = indexed.Implications.Single(i => i.Observation == report.Implications.Single(a => a.ChangeKey == "183381").Observation);
        Assert.Equal(("LA6675-8", diff.ToVersion), (indexedIsg15.Significance, indexedIsg15.KnowledgeVersion));
    }

    [Fact]
    public async Task Reinterpret_SameWorkTwice_SecondWritesNothingAndRepeatsTheSameNotices()
    {
        var (scenario, diff, report) = await ArrangeAsync("clinvar_source.vcf.gz", "clinvar_target.vcf.gz");
        using var _ = scenario;
        var reinterpreter = scenario.Harness.Get<ReportReinterpreter>();
        var ct = TestContext.Current.CancellationToken;

        await reinterpreter.ReinterpretAsync(Item(diff, report), ct);
        var writes = scenario.Harness.Writer.Written.Count;
        var again = await reinterpreter.ReinterpretAsync(Item(diff, report), ct);

        Assert.Equal((0, 5), (again.Amended, again.AlreadyDone));
        Assert.Equal(writes, scenario.Harness.Writer.Written.Count);
        Assert.Equal(4, scenario.Harness.Notifier.Reinterpreted.Select(n => n.MessageId).Distinct().Count());

        // And importing the release again changes nothing: no diff, so no work.
        Assert.True((await scenario.ImportAsync("clinvar_target.vcf.gz")).Diff!.IsEmpty);
    }

    [Fact]
    public async Task Reinterpret_ClassificationRemoved_ImplicationEnteredInErrorWithTheReasonAndLeavesTheIndex()
    {
        var (scenario, diff, report) = await ArrangeAsync("clinvar_target.vcf.gz", "clinvar_target_with_lost_variants.vcf.gz");
        using var _ = scenario;
        var ct = TestContext.Current.CancellationToken;

        var outcome = await scenario.Harness.Get<ReportReinterpreter>().ReinterpretAsync(Item(diff, report), ct);

        Assert.Equal(1, outcome.Amended);
        var withdrawn = await scenario.Harness.Writer.ReadAsync(report.Implications.Single().Observation, ct);
        Assert.Equal("entered-in-error", (string?)withdrawn!["status"]);
        Assert.Contains("ClinVar no longer lists variation 92921 (it was 'Benign'", (string?)withdrawn["note"]!.AsArray().Last()!["text"], StringComparison.Ordinal);
        var indexed = (await scenario.Harness.Index.ReadSubjectAsync(report.Patient, ct)).Single(r => r.Report == report.Report);
        Assert.DoesNotContain(indexed.Implications, i => i.Observation == report.Implications.Single().Observation);
        var notice = Assert.Single(scenario.Harness.Notifier.Reinterpreted); // Benign -> removed: minor, notified at the default
        Assert.Equal(("entered-in-error", ClinicalImpact.Minor), (notice.Status, notice.Impact));
    }

    private static JsonObject? Component(JsonObject observation, string code) =>
        observation["component"]!.AsArray().OfType<JsonObject>().FirstOrDefault(c => c["code"]!["coding"]!.AsArray().Any(x => (string?)x!["code"] == code));

    /// <summary>Every resource the report's ingest wrote, but <paramref name="except"/>, as stored now.</summary>
    private static async Task<Dictionary<string, string>> SnapshotAsync(ReinterpretationScenario scenario, AffectedReport report, IEnumerable<string> except)
    {
        var skip = except.ToHashSet(StringComparer.Ordinal);
        var references = scenario.Harness.Writer.Written
            .SelectMany(b => b["entry"]!.AsArray())
            .Where(e => (string?)e!["request"]!["method"] == "PUT")
            .Select(e => (string)e!["request"]!["url"]!)
            .Where(r => !skip.Contains(r) && !r.StartsWith("Provenance/", StringComparison.Ordinal) || r == report.Report)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var snapshot = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var reference in references) snapshot[reference] = (await scenario.Harness.Writer.ReadAsync(reference, TestContext.Current.CancellationToken))!.ToJsonString();
        Assert.Contains(report.Report, snapshot.Keys);
        return snapshot;
    }
}
