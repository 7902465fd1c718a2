using System.Diagnostics;
using System.Text;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Diff;
using PrecisionMed.Core.Knowledge.Import;
using PrecisionMed.Core.Pipeline.Reinterpretation;
using PrecisionMed.Core.Tests.Fakes;

namespace PrecisionMed.Core.Tests.Pipeline.Reinterpretation;

/// <summary>
/// A CPIC recommendation revised (tests/TestData/knowledge/pharmcat/guidelines/README.md: one clopidogrel row, Poor
/// Metabolizer in CVI ACS PCI) over a cohort of HL7 v2 reports of CYP2C19 *2/*2, on the pipeline's ports: each report's
/// implication of that row and its Task amended exactly once, its two neighbours of the same wording (other populations)
/// left, and the figures of PGx reinterpretation in process (reports per minute, FHIR requests per report).
/// </summary>
[Trait("Tier", "Fast")]
public sealed class PgxReinterpretationTests
{
    private const int Reports = 100;
    private static readonly TimeProvider Clock = new FixedTimeProvider(new DateTimeOffset(2026, 12, 7, 1, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Reinterpret_RevisedRowOverACohort_EachImplicationAndTaskAmendedOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var revised = await IngestThenReviseAsync(Reports, ct);
        using var harness = revised.Harness;
        var diff = revised.Diff;
        var change = Assert.Single(diff.Changes);
        Assert.Equal((ChangeKind.Changed, ClinicalImpact.Minor, "PA449053"), (change.Kind, change.Impact, change.DrugId));

        var queue = new List<ReinterpretationWorkItem>();
        var plan = await harness.Get<ReinterpretationPlanner>().PlanAsync(null, new ListQueue(queue), null, "run-pgx", ct);
        Assert.Equal(Reports, plan.Queued);
        Assert.All(plan.Affected, a => Assert.Equal(3, a.Report.Implications.Count)); // the three Poor Metabolizer rows: candidates from the index
        var writesBefore = harness.Writer.Written.Count;
        var reinterpreter = harness.Get<ReportReinterpreter>();
        var clock = Stopwatch.StartNew();
        var outcomes = new List<ReinterpretationOutcome>();
        foreach (var item in queue) outcomes.Add(await reinterpreter.ReinterpretAsync(item, ct));
        clock.Stop();

        Assert.All(outcomes, o => Assert.Equal((1, 0, 1, 1), (o.Amended, o.AlreadyDone, o.TasksAmended, o.Notified)));
        var puts = harness.Writer.Written.Skip(writesBefore).SelectMany(b => b["entry"]!.AsArray()).Select(e => (string)e!["request"]!["url"]!).ToList();
        Assert.Equal(Reports, puts.Count(u => u.StartsWith("Observation/", StringComparison.Ordinal)));
        Assert.Equal(Reports, puts.Count(u => u.StartsWith("Task/", StringComparison.Ordinal)));
        Assert.Equal(puts.Count, puts.Distinct(StringComparer.Ordinal).Count());
        foreach (var item in queue.Take(3)) Assert.Equal((0, 1, 0), (await reinterpreter.ReinterpretAsync(item, ct) is var again ? (again.Amended, again.AlreadyDone, again.TasksAmended) : default));
        var requests = outcomes.Sum(o => o.FhirRequests);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{Reports} PGx reports (CYP2C19 *2/*2, one CPIC clopidogrel row revised): {Reports / clock.Elapsed.TotalMinutes:F0} reports/minute in process, "
            + $"{(double)requests / Reports:F1} FHIR requests per report (3 candidate implications read, the report and its 4 Tasks read, 1 transaction)");
    }

    /// <summary>
    /// The revised row now changes prescribing where the report has no Task for it (as when the earlier recommendation
    /// changed nothing): a MedicationRecommendation Task is made, once, reasoned by the implication, for the patient.
    /// </summary>
    [Fact]
    public async Task Reinterpret_NoTaskForTheRevisedRow_OneTaskMadeOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = (await IngestThenReviseAsync(2, ct)).Harness;
        Assert.True(harness.Writer.Forget("Task/") > 0);

        var queue = new List<ReinterpretationWorkItem>();
        await harness.Get<ReinterpretationPlanner>().PlanAsync(null, new ListQueue(queue), null, "run-new-task", ct);
        var reinterpreter = harness.Get<ReportReinterpreter>();
        var writesBefore = harness.Writer.Written.Count;
        var outcomes = new List<ReinterpretationOutcome>();
        foreach (var item in queue) outcomes.Add(await reinterpreter.ReinterpretAsync(item, ct));

        Assert.Equal(2, outcomes.Count);
        Assert.All(outcomes, o => Assert.Equal((1, 1), (o.Amended, o.TasksAmended)));
        var written = harness.Writer.Written.Skip(writesBefore).SelectMany(b => b["entry"]!.AsArray()).Select(e => e!["resource"]!.AsObject()).ToList();
        var tasks = written.Where(r => (string?)r["resourceType"] == "Task").ToList();
        Assert.Equal(2, tasks.Count);
        foreach (var task in tasks)
        {
            var reason = (string)task["reasonReference"]!["reference"]!;
            Assert.Equal(RecommendationAmendment.CreatedTaskId(reason), (string?)task["id"]);
            Assert.Equal("requested", (string?)task["status"]);
            var implication = Assert.Single(written, r => $"Observation/{(string?)r["id"]}" == reason);
            Assert.Equal("amended", (string?)implication["status"]);
            Assert.Equal((string?)implication["subject"]!["reference"], (string?)task["for"]!["reference"]);
        }

        var writesAfter = harness.Writer.Written.Count;
        foreach (var item in queue) Assert.Equal((0, 0), (await reinterpreter.ReinterpretAsync(item, ct) is var again ? (again.Amended, again.TasksAmended) : default));
        Assert.Equal(writesAfter, harness.Writer.Written.Count);
    }

    /// <summary>CYP2C19's phenotypes and the 2024 clopidogrel package imported, a cohort of reports ingested, then the revision imported.</summary>
    private static async Task<(PipelineHarness Harness, KnowledgeDiff Diff)> IngestThenReviseAsync(int reports, CancellationToken ct)
    {
        var store = new InMemoryKnowledgeStore();
        var importer = new KnowledgeImporter(store, store, ImpactMatrix.Default, Clock);
        await using (var phenotypes = File.OpenRead(TestFiles.PathOf("knowledge/pharmcat/phenotype/CYP2C19.json")))
            await importer.ImportAsync(KnowledgeSource.PharmCatPhenotype, phenotypes, "CYP2C19.json", 1, cancellationToken: ct);
        await ImportGuidelinesAsync(importer, "2024", ct);
        var harness = new PipelineHarness(knowledge: store);
        await harness.DropAsync(Cohort(reports), $"pgx-cohort-{reports}.hl7");
        foreach (var message in harness.Queue.Messages.ToList()) await harness.Work.HandleAsync(message, ct);
        return (harness, (await ImportGuidelinesAsync(importer, "revised", ct)).Diff!);
    }

    private static async Task<ImportResult> ImportGuidelinesAsync(KnowledgeImporter importer, string release, CancellationToken ct) =>
        await importer.ImportSetAsync(
            KnowledgeSource.PharmCatGuidelines, KnowledgeSourceFile.FromFolder(new DirectoryInfo(TestFiles.PathOf("knowledge/pharmcat/guidelines/" + release))), release, 1, cancellationToken: ct);

    /// <summary>The PGx message of tests/TestData/hl7v2/authored/batch_three_messages.hl7 (CYP2C19 *2/*2, clopidogrel) for <paramref name="count"/> patients, each its own accession.</summary>
    private static byte[] Cohort(int count)
    {
        var batch = Encoding.UTF8.GetString(TestFiles.Read("hl7v2/authored/batch_three_messages.hl7"));
        var start = batch.LastIndexOf("MSH|", StringComparison.Ordinal);
        var message = batch[start..batch.IndexOf("\rBTS|", start, StringComparison.Ordinal)] + "\r";
        var cohort = new StringBuilder();
        for (var i = 1; i <= count; i++)
        {
            cohort.Append(message
                .Replace("GL800103", $"GL9{i:D5}", StringComparison.Ordinal)
                .Replace("GL-24-B1-0003", $"GL-PGX-{i:D5}", StringComparison.Ordinal)
                .Replace("B1-REQ-0003", $"PGX-REQ-{i:D5}", StringComparison.Ordinal)
                .Replace("GL-B1-0003", $"GL-PGX-MSG-{i:D5}", StringComparison.Ordinal));
        }

        return Encoding.UTF8.GetBytes(cohort.ToString());
    }

    private sealed class ListQueue(List<ReinterpretationWorkItem> items) : IReinterpretationQueue
    {
        public Task EnqueueAsync(ReinterpretationWorkItem item, TimeSpan delay, CancellationToken cancellationToken)
        {
            items.Add(item);
            return Task.CompletedTask;
        }
    }
}
