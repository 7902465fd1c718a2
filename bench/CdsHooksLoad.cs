using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PrecisionMed.Testing.Cds;
using PrecisionMed.Testing.Stack;

namespace PrecisionMed.Bench;

/// <summary>
/// CDS Hooks latency as an EHR sees it (bench/cds-hooks.sh): the local stack on free ports (Azurite, cosmosdb-server,
/// the FHIR dev server), the sample HL7 v2 batch ingested with <c>pmed ingest --fhir --cosmos</c> (its PGx patient:
/// CYP2C19 *2/*2), <c>pmed serve --embedded-knowledge</c> trusting a test issuer whose JWKS is on loopback, then CALLS
/// order-select calls for clopidogrel for that patient (each with its own JWT, signed before the clock starts), CONCURRENCY
/// at a time, after a warm-up. Prints p50/p95/p99 of the round trip and the target line.
/// </summary>
internal static partial class CdsHooksLoad
{
    private const double TargetP95Ms = 100;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 1) throw new ArgumentException("usage: cds-hooks-load PMED_DLL [CALLS] [CONCURRENCY]");
        var pmed = Path.GetFullPath(args[0]);
        var calls = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
        var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
        var root = RepositoryRoot();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        var ct = cancel.Token;

        await using var stack = await LocalStack.StartAsync(ct);
        await using var issuer = await TestCdsIssuer.StartAsync(cancellationToken: ct);
        var database = "pmed-bench-cds-" + Guid.NewGuid().ToString("N")[..8];
        string[] connection = ["--fhir", stack.FhirBaseUrl.ToString(), "--cosmos", stack.CosmosEndpoint.ToString(), "--cosmos-key", stack.CosmosKey, "--database", database];
        var work = Directory.CreateTempSubdirectory("pmed-cds-bench-");
        try
        {
            var output = Path.Combine(work.FullName, "ingest");
            var (exit, text) = await RunPmedAsync(pmed, root, ["ingest", Path.Combine(root, "tests", "TestData", "hl7v2", "authored", "batch_three_messages.hl7"), "--out", output, .. connection], ct);
            if (exit != 0) throw new InvalidOperationException($"pmed ingest exited {exit}: {text}");
            var patient = await PatientOfPgxReportAsync(stack, output, ct);

            var serve = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = root };
            serve.Environment["Cds__TrustedIssuers"] = issuer.TrustedIssuersSetting;
            foreach (var arg in (string[])[pmed, "serve", "--port", "0", "--embedded-knowledge", "--storage", stack.AzuriteConnectionString, .. connection]) serve.ArgumentList.Add(arg);
            using var server = Process.Start(serve)!;
            _ = server.StandardError.ReadToEndAsync(ct);
            Uri? api = null;
            while (api is null && await server.StandardOutput.ReadLineAsync(ct) is { } line)
            {
                if (Listening().Match(line) is { Success: true } match) api = new Uri(match.Groups[1].Value);
            }

            if (api is null) throw new InvalidOperationException("pmed serve did not start");
            _ = server.StandardOutput.ReadToEndAsync(ct);
            try
            {
                var url = new Uri(api, "cds-services/pgx-prescribing-order-select");
                using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { Timeout = TimeSpan.FromSeconds(30) };
                var body = Body(patient);
                foreach (var _ in Enumerable.Range(0, 50)) await CallAsync(http, url, body, issuer.Token(url), ct); // warm-up: JIT, knowledge cache, JWKS

                var tokens = new Queue<string>(Enumerable.Range(0, calls).Select(_ => issuer.Token(url)));
                var times = new List<double>(calls);
                var failures = 0;
                var gate = new Lock();
                var clock = Stopwatch.StartNew();
                await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
                {
                    while (true)
                    {
                        string token;
                        lock (gate)
                        {
                            if (tokens.Count == 0) return;
                            token = tokens.Dequeue();
                        }

                        var (ok, ms) = await CallAsync(http, url, body, token, ct);
                        lock (gate)
                        {
                            times.Add(ms);
                            if (!ok) failures++;
                        }
                    }
                }));
                clock.Stop();
                times.Sort();
                var p95 = Percentile(times, 0.95);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cds-hooks: {calls} order-select calls (pgx-prescribing, clopidogrel, CYP2C19 poor metabolizer card), {concurrency} concurrent, against pmed serve on the local stack"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"p50_ms={Percentile(times, 0.50):0.0} p95_ms={p95:0.0} p99_ms={Percentile(times, 0.99):0.0} max_ms={times[^1]:0.0} calls_per_s={calls / clock.Elapsed.TotalSeconds:0} failed={failures}"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"target p95 <= {TargetP95Ms:0} ms per hook call: {(p95 <= TargetP95Ms && failures == 0 ? "MET" : "NOT MET")}"));
                return failures == 0 ? 0 : 1;
            }
            finally
            {
                if (!server.HasExited) server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync(CancellationToken.None);
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task<(bool Ok, double Ms)> CallAsync(HttpClient http, Uri url, string body, string token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var clock = Stopwatch.StartNew();
        using var response = await http.SendAsync(request, ct);
        var answer = await response.Content.ReadAsStringAsync(ct);
        clock.Stop();
        return (response.IsSuccessStatusCode && answer.Contains("\"critical\"", StringComparison.Ordinal), clock.Elapsed.TotalMilliseconds);
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static string Body(string patient) => new JsonObject
    {
        ["hook"] = "order-select",
        ["hookInstance"] = Guid.NewGuid().ToString(),
        ["context"] = new JsonObject
        {
            ["userId"] = "Practitioner/bench",
            ["patientId"] = patient.Split('/')[1],
            ["selections"] = new JsonArray("MedicationRequest/mr-clopidogrel"),
            ["draftOrders"] = new JsonObject
            {
                ["resourceType"] = "Bundle",
                ["type"] = "collection",
                ["entry"] = new JsonArray(new JsonObject
                {
                    ["resource"] = new JsonObject
                    {
                        ["resourceType"] = "MedicationRequest", ["id"] = "mr-clopidogrel", ["status"] = "draft", ["intent"] = "order",
                        ["medicationCodeableConcept"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://www.nlm.nih.gov/research/umls/rxnorm", ["code"] = "32968", ["display"] = "clopidogrel" }) },
                    },
                }),
            },
        },
    }.ToJsonString();

    private static async Task<string> PatientOfPgxReportAsync(LocalStack stack, string output, CancellationToken ct)
    {
        var bundle = Directory.GetFiles(output, "*.json").Select(f => JsonNode.Parse(File.ReadAllText(f))!)
            .Single(b => b.ToJsonString().Contains("CYP2C19 *2/*2", StringComparison.Ordinal));
        var report = bundle["entry"]!.AsArray().Select(e => (string?)e!["request"]!["url"]).Single(u => u!.StartsWith("DiagnosticReport/", StringComparison.Ordinal))!;
        using var fhir = stack.CreateFhirHttpClient();
        return (string?)JsonNode.Parse(await fhir.GetStringAsync(report, ct))!["subject"]!["reference"] ?? throw new InvalidOperationException("the report has no subject");
    }

    private static async Task<(int Exit, string Output)> RunPmedAsync(string pmed, string root, string[] args, CancellationToken ct)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = root };
        start.ArgumentList.Add(pmed);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "PrecisionMed.Serverless.sln"))) return folder.FullName;
        }

        throw new InvalidOperationException("the repository root (PrecisionMed.Serverless.sln) is not above the bench binary");
    }

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+/api/)")]
    private static partial Regex Listening();
}
