using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Cli.Ledger;
using PrecisionMed.Cli.Tests.CommandLine;
using PrecisionMed.Core.Pipeline.Notifications;
using PrecisionMed.Core.Pipeline.Reinterpretation;
using PrecisionMed.Testing.Stack;
using PrecisionMed.Testing.Vcf;
using Xunit;

namespace PrecisionMed.Cli.Tests.Knowledge;

/// <summary>
/// The issue's proof on the local stack (Cosmos DB emulator, FHIR dev server, Azurite): ClinVar 2019-08-05 imported, a
/// patient's VCF ingested, 2019-09-15 imported; <c>pmed knowledge reinterpret</c> queues the report on
/// <c>reinterpretations</c> and the queue's handler (what ReinterpretationQueuedFunction calls) amends our implications
/// in the FHIR service, with Provenance and a notice on <c>genomic-results</c>; the lab's resources keep their versions,
/// and a redelivery and a re-import change nothing.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class ReinterpretEndToEndTests(LocalStackFixture stack) : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pmed-reinterpret-");
    private readonly string _database = "pmed-cli-reinterp-" + Guid.NewGuid().ToString("N")[..10];

    private string[] Cosmos => ["--cosmos", stack.Stack.CosmosEndpoint.ToString(), "--cosmos-key", stack.Stack.CosmosKey, "--database", _database];

    private static string Release(string name) => Path.Combine(RepositoryPaths.Root, "tests", "TestData", "knowledge", "clinvar", "releases", name);

    [Fact]
    public async Task Reinterpret_AfterTheSecondRelease_AmendsOurImplicationsInFhirOnlyOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(ExitCodes.Ok, (await Pmed.RunAsync(["knowledge", "import", "clinvar", Release("clinvar_source.vcf.gz"), .. Cosmos])).Exit);
        var vcf = Path.Combine(_work.FullName, "patient.vcf");
        await File.WriteAllTextAsync(vcf, string.Concat(
            "##fileformat=VCFv4.2\n##reference=GRCh37\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n",
            "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n",
            "1\t949523\t.\tC\tT\t.\tPASS\t.\tGT\t0/1\n",
            "4\t84383745\t.\tT\tTC\t.\tPASS\t.\tGT\t0/1\n",
            "5\t37060961\t.\tCT\tC\t.\tPASS\t.\tGT\t0/1\n"), ct);
        TestVcfManifests.WriteBeside(vcf);
        var output = Path.Combine(_work.FullName, "out");
        var ingest = await Pmed.RunAsync(["ingest", vcf, "--out", output, "--fhir", stack.Stack.FhirBaseUrl.ToString(), .. Cosmos]);
        Assert.True(ingest.Exit == ExitCodes.Ok, ingest.ToString());
        var labOwned = LabAndReportResources(output);
        using var fhir = stack.Stack.CreateFhirHttpClient();
        var versionsBefore = await VersionsAsync(fhir, labOwned, ct);
        var second = await Pmed.RunAsync(["knowledge", "import", "clinvar", Release("clinvar_target.vcf.gz"), .. Cosmos]);
        Assert.True(second.Exit == ExitCodes.Ok, second.ToString());

        var dry = await Pmed.RunAsync(["knowledge", "reinterpret", "--dry-run", .. Cosmos]);
        Assert.True(dry.Exit == ExitCodes.Ok, dry.ToString());
        Assert.Contains("affected reports: 1; dry run, nothing queued", dry.Stdout, StringComparison.Ordinal);
        var queued = await Pmed.RunAsync(["knowledge", "reinterpret", "--storage", stack.Stack.AzuriteConnectionString, .. Cosmos]);
        Assert.True(queued.Exit == ExitCodes.Ok, queued.ToString());
        Assert.Contains("affected reports: 1; queued 1 on reinterpretations", queued.Stdout, StringComparison.Ordinal);

        var report = (string)JsonNode.Parse(await File.ReadAllTextAsync(Directory.GetFiles(output, "*.json").Single(), ct))!["entry"]!.AsArray()
            .Select(e => e!["request"]!["url"]!.GetValue<string>()).Single(u => u.StartsWith("DiagnosticReport/", StringComparison.Ordinal));
        var message = Assert.Single(await ReinterpretationQueues.ReceiveAsync(stack.Stack.AzuriteConnectionString, report, 1, ct)); // the queue is shared with other tests
        Assert.DoesNotContain("patient-S1", message, StringComparison.Ordinal);
        await using var services = new LedgerConnection(stack.Stack.CosmosEndpoint, stack.Stack.CosmosKey, _database, stack.Stack.AzuriteConnectionString, "lab-reports")
        {
            Fhir = stack.Stack.FhirBaseUrl,
        }.BuildServices();
        var handler = services.GetRequiredService<ReinterpretationWorkHandler>();

        var outcome = await handler.HandleAsync(message, ct);
        var again = await handler.HandleAsync(message, ct);

        // ISG15 Pathogenic -> Benign and ABRAXAS1 Uncertain -> Pathogenic amended; NIPBL unchanged, not touched.
        Assert.Equal((2, 0), (outcome.Amended, outcome.AlreadyDone));
        Assert.Equal((0, 2), (again.Amended, again.AlreadyDone));
        var amended = await AmendedImplicationsAsync(fhir, output, ct);
        Assert.Equal(2, amended.Count);
        Assert.All(amended, o => Assert.Equal("2", (string?)o["meta"]!["versionId"]));
        Assert.Contains(amended, o => o["note"]!.AsArray().Any(n => ((string?)n!["text"])?.Contains("from 'Pathogenic' (2019-08-05", StringComparison.Ordinal) == true));
        var provenance = JsonNode.Parse(await fhir.GetStringAsync($"Provenance?target={(string?)amended[0]["resourceType"]}/{(string?)amended[0]["id"]}", ct))!;
        Assert.True(provenance["entry"]!.AsArray().Count >= 1, provenance.ToJsonString());
        Assert.Equal(versionsBefore, await VersionsAsync(fhir, labOwned, ct));

        var results = new QueueClient(stack.Stack.AzuriteConnectionString, "genomic-results");
        var texts = new List<string>();
        for (var batch = 0; batch < 20; batch++)
        {
            var received = (await results.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5), ct)).Value;
            if (received.Length == 0) break;
            texts.AddRange(received.Select(m => m.MessageText));
        }

        var notices = texts.Where(t => t.Contains("\"diffId\"", StringComparison.Ordinal)).Select(GenomicResultReinterpreted.FromJson).ToList();
        Assert.Equal(2, notices.Where(n => n!.ReportReference == report).Select(n => n!.MessageId).Distinct().Count());

        // The status API: the diffs and the run that queued this report.
        var empty = new Dictionary<string, string>();
        var status = await new Api.Knowledge.ReinterpretationStatusEndpoint(services.GetRequiredService<Core.Knowledge.IKnowledgeStore>(), services.GetRequiredService<IReinterpretationLedger>()).HandleAsync(
            new Api.ApiRequest("GET", empty, new Dictionary<string, string[]>(), new Dictionary<string, string[]>(), ReadOnlyMemory<byte>.Empty, "test"), ct);
        var answer = JsonNode.Parse(status.Body.Span)!;
        Assert.Equal(2, answer["diffs"]!.AsArray().Count); // the baseline and 2019-09-15
        var run = Assert.Single(answer["runs"]!.AsArray())!;
        Assert.Equal((1, 1, 0), ((int)run["affected"]!, (int)run["queued"]!, (int)run["deferred"]!));
        Assert.Equal((1, 1, 0), ((int)run["progress"]!["queued"]!, (int)run["progress"]!["amended"]!, (int)run["progress"]!["remaining"]!));
        Assert.DoesNotContain("Patient/", answer.ToJsonString(), StringComparison.Ordinal);

        var reimport = await Pmed.RunAsync(["knowledge", "import", "clinvar", Release("clinvar_target.vcf.gz"), .. Cosmos]);
        Assert.Contains("diff: nothing changed", reimport.Stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// The figure the issue asks for: reports reinterpreted per minute by one worker against the FHIR dev server, and FHIR
    /// requests per report, over 50 reports of 3 amended implications (one VCF, one column per patient).
    /// </summary>
    [Fact]
    public async Task Reinterpret_50Reports_ThroughputAndRequestsPerReport()
    {
        const int Patients = 50;
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(ExitCodes.Ok, (await Pmed.RunAsync(["knowledge", "import", "clinvar", Release("clinvar_source.vcf.gz"), .. Cosmos])).Exit);
        var vcf = Path.Combine(_work.FullName, "cohort.vcf");
        var text = new System.Text.StringBuilder("##fileformat=VCFv4.2\n##reference=GRCh37\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT");
        for (var i = 1; i <= Patients; i++) text.Append("\tS").Append(i);
        foreach (var row in new[] { "1\t949523\t.\tC\tT", "1\t45797835\t.\tT\tG", "4\t84383745\t.\tT\tTC" })
        {
            text.Append('\n').Append(row).Append("\t.\tPASS\t.\tGT");
            for (var i = 1; i <= Patients; i++) text.Append("\t0/1");
        }

        await File.WriteAllTextAsync(vcf, text.Append('\n').ToString(), ct);
        TestVcfManifests.WriteBeside(vcf);
        var ingest = await Pmed.RunAsync(["ingest", vcf, "--out", Path.Combine(_work.FullName, "out"), "--fhir", stack.Stack.FhirBaseUrl.ToString(), .. Cosmos]);
        Assert.True(ingest.Exit == ExitCodes.Ok, ingest.ToString());
        Assert.Equal(ExitCodes.Ok, (await Pmed.RunAsync(["knowledge", "import", "clinvar", Release("clinvar_target.vcf.gz"), .. Cosmos])).Exit);
        await using var services = new LedgerConnection(stack.Stack.CosmosEndpoint, stack.Stack.CosmosKey, _database, stack.Stack.AzuriteConnectionString, "lab-reports")
        {
            Fhir = stack.Stack.FhirBaseUrl,
        }.BuildServices();
        var plan = await services.GetRequiredService<ReinterpretationPlanner>().PlanAsync(null, null, null, "corr-figures", ct);
        Assert.Equal(Patients, plan.Affected.Count);
        var handler = services.GetRequiredService<ReportReinterpreter>();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var requests = 0;
        var amended = 0;
        foreach (var (diffId, report) in plan.Affected)
        {
            var outcome = await handler.ReinterpretAsync(new ReinterpretationWorkItem(diffId, report.Patient, report.Report, "corr-figures"), ct);
            requests += outcome.FhirRequests;
            amended += outcome.Amended;
        }

        clock.Stop();
        Assert.Equal(Patients * 3, amended);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{Patients} reports, {amended} implications amended in {clock.Elapsed.TotalSeconds:F1} s: {Patients / clock.Elapsed.TotalMinutes:F0} reports/minute, "
            + $"{(double)requests / Patients:F1} FHIR requests per report (one worker, FHIR dev server)");
    }

    /// <summary>Every resource the ingest PUT but our own implications and Provenance: the lab's and the report's.</summary>
    private static List<string> LabAndReportResources(string output)
    {
        var bundle = JsonNode.Parse(File.ReadAllText(Directory.GetFiles(output, "*.json").Single()))!;
        return [.. bundle["entry"]!.AsArray()
            .Where(e => (string?)e!["request"]!["method"] == "PUT")
            .Where(e => !e!["resource"]!.ToJsonString().Contains("PrecisionMed knowledge store version", StringComparison.Ordinal))
            .Select(e => (string)e!["request"]!["url"]!)
            .Where(u => !u.StartsWith("Provenance/", StringComparison.Ordinal))];
    }

    private static async Task<Dictionary<string, string?>> VersionsAsync(HttpClient fhir, List<string> references, CancellationToken ct)
    {
        var versions = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var reference in references) versions[reference] = (string?)JsonNode.Parse(await fhir.GetStringAsync(reference, ct))!["meta"]?["versionId"];
        return versions;
    }

    /// <summary>Our implications of this test's report (the FHIR dev server is shared) that carry a reinterpretation.</summary>
    private static async Task<List<JsonObject>> AmendedImplicationsAsync(HttpClient fhir, string output, CancellationToken ct)
    {
        var bundle = JsonNode.Parse(await File.ReadAllTextAsync(Directory.GetFiles(output, "*.json").Single(), ct))!;
        var ours = bundle["entry"]!.AsArray()
            .Where(e => (string?)e!["request"]!["method"] == "PUT" && e["resource"]!.ToJsonString().Contains("PrecisionMed knowledge store version", StringComparison.Ordinal))
            .Select(e => (string)e!["request"]!["url"]!)
            .ToList();
        var amended = new List<JsonObject>();
        foreach (var reference in ours)
        {
            var resource = JsonNode.Parse(await fhir.GetStringAsync(reference, ct))!.AsObject();
            if (resource.ToJsonString().Contains(ImplicationAmendment.TagSystem, StringComparison.Ordinal)) amended.Add(resource);
        }

        return amended;
    }

    public void Dispose() => _work.Delete(recursive: true);
}
