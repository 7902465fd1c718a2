using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Adapters.Notifications;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Cli.Ledger;
using PrecisionMed.Cli.Tests.CommandLine;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Notifications;
using PrecisionMed.Core.Pipeline.Reinterpretation;
using PrecisionMed.Testing.Stack;
using PrecisionMed.Testing.Validation;
using PrecisionMed.Validation;
using Xunit;

namespace PrecisionMed.Cli.Tests.Knowledge;

/// <summary>
/// A CPIC recommendation change reaching a report's TherapeuticImplication and its MedicationRecommendation Task, on the
/// local stack: CYP2C19's phenotypes and PharmCAT's CPIC clopidogrel package imported, the lab's HL7 v2 report of
/// CYP2C19 *2/*2 ingested (three store implications for clopidogrel, one per CPIC population, each with a Task), then a
/// revision of one row (Poor Metabolizer, population CVI ACS PCI: new text and classification) imported;
/// <c>pmed knowledge reinterpret</c> queues the report, and the queue's handler amends that implication and its Task once,
/// with a Provenance for each and a notice; the other populations' implications (same wording, other rows), the lab's
/// resources and the report keep their versions; importing and reinterpreting again changes nothing. Before that, the
/// FHIR service down: the item fails every delivery the queue allows, its poison message (as the Storage Queues extension
/// writes it) records it Failed, <c>GET /api/reinterpretations</c> (<c>pmed serve</c>, over HTTP) counts it poisoned, and
/// <c>pmed knowledge reinterpret --replay-poisoned</c> queues it again.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class PgxReinterpretEndToEndTests(LocalStackFixture stack) : IDisposable
{
    private const string NoticeQueue = "genomic-results-pgx-reinterpret";
    private const string RevisedText = "Avoid clopidogrel. Use prasugrel or ticagrelor at standard dose if no contraindication.";
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pmed-reinterpret-pgx-");
    private readonly string _database = "pmed-cli-reinterp-pgx-" + Guid.NewGuid().ToString("N")[..8];

    private string[] Cosmos => ["--cosmos", stack.Stack.CosmosEndpoint.ToString(), "--cosmos-key", stack.Stack.CosmosKey, "--database", _database];

    private static string PharmCat(string path) => Path.Combine(RepositoryPaths.Root, "tests", "TestData", "knowledge", "pharmcat", path);

    [Fact]
    public async Task Reinterpret_RevisedCpicRow_AmendsTheImplicationAndItsTaskOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        _ = stack.Stack; // started (or shared) before the clock runs
        var body = System.Diagnostics.Stopwatch.StartNew();
        await ImportAsync("pharmcat-phenotype", PharmCat("phenotype/CYP2C19.json"));
        await ImportAsync("pharmcat-guidelines", PharmCat("guidelines/2024"));
        var output = Path.Combine(_work.FullName, "out");
        var ingest = await Pmed.RunAsync(["ingest", await PgxMessageAsync(ct), "--out", output, "--fhir", stack.Stack.FhirBaseUrl.ToString(), .. Cosmos]);
        Assert.True(ingest.Exit == ExitCodes.Ok, ingest.ToString());
        var written = WrittenResources(output);
        using var fhir = stack.Stack.CreateFhirHttpClient();
        var before = await VersionsAsync(fhir, written, ct);
        var ours = await OurClopidogrelImplicationsAsync(fhir, written, ct);
        Assert.Equal(3, ours.Count); // CVI ACS PCI, CVI non-ACS non-PCI, NVI

        var revised = await Pmed.RunAsync(["knowledge", "import", "pharmcat-guidelines", PharmCat("guidelines/revised"), .. Cosmos]);
        Assert.True(revised.Exit == ExitCodes.Ok, revised.ToString());
        var queued = await Pmed.RunAsync(["knowledge", "reinterpret", "--storage", stack.Stack.AzuriteConnectionString, .. Cosmos]);
        Assert.True(queued.Exit == ExitCodes.Ok, queued.ToString());
        Assert.Contains("affected reports: 1; queued 1 on reinterpretations", queued.Stdout, StringComparison.Ordinal);
        var report = written.Single(r => r.StartsWith("DiagnosticReport/", StringComparison.Ordinal));
        var first = Assert.Single(await ReceiveAsync(report, ct));
        var runId = ReinterpretationWorkItem.TryParse(first)!.CorrelationId;
        await using var server = await PmedServer.StartAsync(["--port", "0", "--storage", stack.Stack.AzuriteConnectionString, .. Cosmos]);

        // The FHIR service down: every delivery the queue allows fails, then the Storage Queues extension moves the message,
        // as it held it, to reinterpretations-poison, whose function records the item Failed (poisoned).
        await using (var down = Connection().BuildServices(s => s.AddSingleton<IFhirWriter>(new UnreachableFhir())))
        {
            var failing = down.GetRequiredService<ReinterpretationWorkHandler>();
            for (var delivery = 1; delivery <= MaxDequeueCount; delivery++)
                await Assert.ThrowsAsync<FhirTransientException>(() => failing.HandleAsync(first, ct));
            await PoisonAsync(first, ct);
            await down.GetRequiredService<ReinterpretationPoisonHandler>().HandleAsync(Assert.Single(await ReceiveAsync(report, ct, PoisonQueue)), ct);
        }

        var poisoned = RunProgress(await StatusAsync(server, ct), runId);
        Assert.Equal((1, 0, 0, 1, 0), ((int)poisoned["queued"]!, (int)poisoned["amended"]!, (int)poisoned["unchanged"]!, (int)poisoned["poisoned"]!, (int)poisoned["remaining"]!));

        // Replayed once FHIR is back: queued again at the next attempt; the old message's copies do nothing.
        var replay = await Pmed.RunAsync(["knowledge", "reinterpret", "--replay-poisoned", "--run", runId, "--reason", "FHIR restored", "--storage", stack.Stack.AzuriteConnectionString, .. Cosmos]);
        Assert.True(replay.Exit == ExitCodes.Ok, replay.ToString());
        Assert.Contains("replayed 1 failed reinterpretation(s) of 1 run(s)", replay.Stdout, StringComparison.Ordinal);
        var message = Assert.Single(await ReceiveAsync(report, ct));
        Assert.Equal(2, ReinterpretationWorkItem.TryParse(message)!.Attempt);

        // Its own notices queue: the other reinterpretation tests receive from theirs (a receive hides messages for minutes).
        await using var services = Connection().BuildServices(s => s.Configure<NotificationOptions>(o => o.QueueName = NoticeQueue));
        var handler = services.GetRequiredService<ReinterpretationWorkHandler>();
        Assert.Equal(ReinterpretationOutcome.Nothing, await handler.HandleAsync(first, ct));
        var took = System.Diagnostics.Stopwatch.StartNew();
        var outcome = await handler.HandleAsync(message, ct);
        took.Stop();
        var again = await handler.HandleAsync(message, ct);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"PGx reinterpretation of one report against the FHIR dev server: {took.Elapsed.TotalMilliseconds:F0} ms (ledger claim and completion, index update and notice included), {outcome.FhirRequests} FHIR requests");

        Assert.Equal((1, 0, 1), (outcome.Amended, outcome.AlreadyDone, outcome.TasksAmended));
        Assert.Equal((0, 1, 0), (again.Amended, again.AlreadyDone, again.TasksAmended));
        var after = await VersionsAsync(fhir, written, ct);
        var changed = after.Where(v => v.Value != before[v.Key]).Select(v => v.Key).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, changed.Count); // the one implication and its Task; every other resource (the lab's, the report, the other rows') as it was
        var implication = JsonNode.Parse(await fhir.GetStringAsync(changed.Single(r => r.StartsWith("Observation/", StringComparison.Ordinal)), ct))!.AsObject();
        var task = JsonNode.Parse(await fhir.GetStringAsync(changed.Single(r => r.StartsWith("Task/", StringComparison.Ordinal)), ct))!.AsObject();
        Assert.Equal(("amended", "2"), ((string?)implication["status"], (string?)implication["meta"]!["versionId"]));
        var conclusion = implication["component"]!.AsArray().Select(c => (string?)c!["valueString"]).Single(v => v is not null)!;
        Assert.Contains($"clopidogrel (CPIC, population CVI ACS PCI): {RevisedText}", conclusion, StringComparison.Ordinal);
        Assert.Contains("CPIC classification: Moderate.", conclusion, StringComparison.Ordinal);
        Assert.Contains(implication["component"]!.AsArray(), c => (string?)c!["valueCodeableConcept"]?["text"] == "CPIC Moderate");
        var note = (string)implication["note"]!.AsArray()[^1]!["text"]!;
        Assert.Contains("changed from 'Avoid clopidogrel if possible.", note, StringComparison.Ordinal);
        Assert.Contains("(classification Strong, guideline version 47, knowledge version kv-", note, StringComparison.Ordinal);
        Assert.StartsWith(RevisedText, (string?)task["description"], StringComparison.Ordinal);
        Assert.Equal("requested", (string?)task["status"]);
        Assert.Equal("LA26421-0", (string?)task["code"]!["coding"]![0]!["code"]); // still: consider an alternative
        Assert.Equal((string?)implication["id"], ((string)task["reasonReference"]!["reference"]!).Split('/')[1]);

        var provenances = new List<JsonObject>();
        foreach (var target in changed)
        {
            var bundle = JsonNode.Parse(await fhir.GetStringAsync($"Provenance?target={target}", ct))!;
            // The report's own Provenance targets it too; the reinterpretation's names the diff.
            provenances.Add(Assert.Single(bundle["entry"]!.AsArray(), e => e!["resource"]!.ToJsonString().Contains(ImplicationAmendment.DiffSystem, StringComparison.Ordinal))!["resource"]!.AsObject());
        }

        Assert.All(provenances, p => Assert.Contains("revised", p.ToJsonString(), StringComparison.Ordinal));
        var beforeValidation = body.Elapsed;
        foreach (var resource in provenances.Append(implication).Append(task))
            Assert.Empty(FhirProfileValidator.Shared.Validate(resource.ToJsonString()).Errors);

        var notice = Assert.Single(await NoticesAsync(report, ct));
        Assert.Equal(($"Observation/{(string?)implication["id"]}", "amended"), (notice.Implication, notice.Status));
        Assert.StartsWith(RevisedText, notice.NewValue, StringComparison.Ordinal);

        // The same revision imported again changes nothing, and a run over the same diff writes nothing again.
        var reimport = await Pmed.RunAsync(["knowledge", "import", "pharmcat-guidelines", PharmCat("guidelines/revised"), .. Cosmos]);
        Assert.Contains("diff: nothing changed", reimport.Stdout, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, (await Pmed.RunAsync(["knowledge", "reinterpret", "--storage", stack.Stack.AzuriteConnectionString, .. Cosmos])).Exit);
        var rerun = Assert.Single(await ReceiveAsync(report, ct));
        var third = await handler.HandleAsync(rerun, ct);
        Assert.Equal((0, 1, 0), (third.Amended, third.AlreadyDone, third.TasksAmended));
        Assert.Equal(after, await VersionsAsync(fhir, written, ct));

        // The status API over HTTP: per run how far it got, and nothing of the patient or the report.
        var status = await StatusAsync(server, ct);
        var done = RunProgress(status, runId);
        Assert.Equal((1, 1, 0, 0, 0, 0), ((int)done["queued"]!, (int)done["amended"]!, (int)done["unchanged"]!, (int)done["failed"]!, (int)done["poisoned"]!, (int)done["remaining"]!));
        var unchanged = RunProgress(status, ReinterpretationWorkItem.TryParse(rerun)!.CorrelationId);
        Assert.Equal((1, 0, 1, 0), ((int)unchanged["queued"]!, (int)unchanged["amended"]!, (int)unchanged["unchanged"]!, (int)unchanged["remaining"]!));
        Assert.DoesNotContain("Patient/", status.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(report, status.ToJsonString(), StringComparison.Ordinal);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"test body {body.Elapsed.TotalSeconds:F1} s, of which {beforeValidation.TotalSeconds:F1} s before the IG validation (the validator's first load is shared by the project's tests)");
    }

    private const int MaxDequeueCount = 5; // host.json extensions.queues.maxDequeueCount
    private const string PoisonQueue = ReinterpretationQueues.Poison;

    private LedgerConnection Connection() =>
        new(stack.Stack.CosmosEndpoint, stack.Stack.CosmosKey, _database, stack.Stack.AzuriteConnectionString, "lab-reports") { Fhir = stack.Stack.FhirBaseUrl };

    /// <summary>What the Storage Queues extension does with a message past maxDequeueCount: the same text, on the queue's poison queue.</summary>
    private async Task PoisonAsync(string message, CancellationToken ct)
    {
        var poison = new QueueClient(stack.Stack.AzuriteConnectionString, PoisonQueue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        await poison.CreateIfNotExistsAsync(cancellationToken: ct);
        await poison.SendMessageAsync(message, ct);
    }

    private static async Task<JsonNode> StatusAsync(PmedServer server, CancellationToken ct)
    {
        using var response = await server.Http.GetAsync("reinterpretations", ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!;
    }

    private static JsonNode RunProgress(JsonNode status, string runId) =>
        Assert.Single(status["runs"]!.AsArray(), r => (string?)r!["runId"] == runId)!["progress"]!;

    /// <summary>The FHIR service unreachable after the writer's retries, as FhirHttpWriter reports it.</summary>
    private sealed class UnreachableFhir : IFhirWriter
    {
        public Task<FhirWriteResult> WriteTransactionAsync(ReadOnlyMemory<byte> bundle, CancellationToken cancellationToken) =>
            throw new FhirTransientException("the FHIR service could not be reached");

        public Task<JsonObject?> ReadAsync(string reference, CancellationToken cancellationToken) =>
            throw new FhirTransientException("the FHIR service could not be reached");

        public Task<IReadOnlyList<JsonObject>> FindPatientsAsync(string system, string value, CancellationToken cancellationToken) =>
            throw new FhirTransientException("the FHIR service could not be reached");
    }

    private async Task ImportAsync(string source, string path)
    {
        var run = await Pmed.RunAsync(["knowledge", "import", source, path, .. Cosmos]);
        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
    }

    /// <summary>The PGx report of samples/batch_three_messages.hl7 (its third message: CYP2C19 *2/*2, clopidogrel), alone in a file.</summary>
    private Task<string> PgxMessageAsync(CancellationToken ct) => PgxTestMessage.WriteAsync(_work.FullName, "REINTERP-PGX", ct);

    private Task<List<string>> ReceiveAsync(string report, CancellationToken ct, string name = ReinterpretationQueues.Work) =>
        ReinterpretationQueues.ReceiveAsync(stack.Stack.AzuriteConnectionString, report, 1, ct, name);

    private async Task<List<GenomicResultReinterpreted>> NoticesAsync(string report, CancellationToken ct)
    {
        var results = new QueueClient(stack.Stack.AzuriteConnectionString, NoticeQueue);
        var notices = new List<GenomicResultReinterpreted>();
        for (var batch = 0; batch < 20; batch++)
        {
            var received = (await results.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5), ct)).Value;
            if (received.Length == 0) break;
            notices.AddRange(received.Where(m => m.MessageText.Contains("\"diffId\"", StringComparison.Ordinal)).Select(m => GenomicResultReinterpreted.FromJson(m.MessageText)!)
                .Where(n => n.ReportReference == report));
        }

        return [.. notices.DistinctBy(n => n.MessageId)];
    }

    /// <summary>Every resource the ingest PUT (lab's, report's and ours), <c>Type/id</c>.</summary>
    private static List<string> WrittenResources(string output) =>
        [.. Directory.GetFiles(output, "*.json").SelectMany(f => JsonNode.Parse(File.ReadAllText(f))!["entry"]!.AsArray())
            .Where(e => (string?)e!["request"]!["method"] == "PUT")
            .Select(e => (string)e!["request"]!["url"]!)];

    private static async Task<List<string>> OurClopidogrelImplicationsAsync(HttpClient fhir, List<string> references, CancellationToken ct)
    {
        var ours = new List<string>();
        foreach (var reference in references.Where(r => r.StartsWith("Observation/", StringComparison.Ordinal)))
        {
            var text = await fhir.GetStringAsync(reference, ct);
            if (text.Contains("therapeutic-implication", StringComparison.Ordinal) && text.Contains("PrecisionMed knowledge store version", StringComparison.Ordinal)
                && text.Contains("clopidogrel (CPIC", StringComparison.Ordinal)) ours.Add(reference);
        }

        return ours;
    }

    private static async Task<Dictionary<string, string?>> VersionsAsync(HttpClient fhir, List<string> references, CancellationToken ct)
    {
        var versions = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var reference in references) versions[reference] = (string?)JsonNode.Parse(await fhir.GetStringAsync(reference, ct))!["meta"]?["versionId"];
        return versions;
    }

    public void Dispose() => _work.Delete(recursive: true);
}
