using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Testing.Cds;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>
/// CDS Hooks end to end over real HTTP on the local stack: a lab's HL7 v2 batch (its third report a PGx panel, CYP2C19
/// *2/*2) ingested with <c>pmed ingest --fhir --cosmos</c> (FHIR written, genomic index kept in the same unit of work), then
/// <c>pmed serve</c> called as an EHR calls it, with a JWT from a test issuer whose JWKS is served on loopback: discovery,
/// order-select for clopidogrel for that patient (the CYP2C19 card), order-sign of the same germline panel (the
/// governance card), feedback and its counts (over HTTP and from <c>pmed status --cds-feedback</c>); a call without a
/// token is 401. Nothing of the patient reaches the output.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class CdsHooksServeTests(LocalStackFixture stack) : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pmed-cds-");
    private readonly string _database = "pmed-cli-cds-" + Guid.NewGuid().ToString("N")[..10];

    private string[] Connection => ["--fhir", stack.Stack.FhirBaseUrl.ToString(), "--cosmos", stack.Stack.CosmosEndpoint.ToString(), "--cosmos-key", stack.Stack.CosmosKey, "--database", _database];

    [Fact]
    public async Task Hl7PgxReportIngested_OrderSelectForClopidogrel_GetsTheCyp2c19Card_AndTheSamePanelTheGovernanceCard()
    {
        var ct = TestContext.Current.CancellationToken;
        var (patient, reportCode) = await IngestPgxReportAsync(ct);
        await using var issuer = await TestCdsIssuer.StartAsync(cancellationToken: ct);
        await using var server = await PmedServer.StartAsync(
            new Dictionary<string, string> { ["Cds__TrustedIssuers"] = issuer.TrustedIssuersSetting },
            ["--port", "0", "--embedded-knowledge", "--storage", stack.Stack.AzuriteConnectionString, .. Connection]);

        var discovery = JsonNode.Parse(await server.Http.GetStringAsync("cds-services", ct))!;
        Assert.Contains(discovery["services"]!.AsArray(), s => (string?)s!["id"] == "pgx-prescribing-order-select" && (string?)s["hook"] == "order-select");

        // order-select for clopidogrel: the CYP2C19 poor metaboliser's card.
        var select = Body("order-select", patient, new JsonObject
        {
            ["resourceType"] = "MedicationRequest", ["id"] = "mr-clopidogrel", ["status"] = "draft", ["intent"] = "order",
            ["medicationCodeableConcept"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://www.nlm.nih.gov/research/umls/rxnorm", ["code"] = "32968", ["display"] = "clopidogrel" }) },
            ["subject"] = new JsonObject { ["reference"] = patient },
        });
        var pgxUrl = new Uri(server.Api, "cds-services/pgx-prescribing-order-select");
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(server, pgxUrl, select, null, ct)).Status);
        var (status, answer) = await PostAsync(server, pgxUrl, select, issuer.Token(pgxUrl), ct);
        Assert.True(status == HttpStatusCode.OK, answer.ToJsonString());
        Assert.True(answer["cards"]!.AsArray().Count == 1, answer.ToJsonString());
        var card = answer["cards"]![0]!;
        Assert.Equal("critical", (string?)card["indicator"]);
        Assert.Contains("CYP2C19 Poor Metabolizer", (string?)card["summary"], StringComparison.Ordinal);
        Assert.Contains("clopidogrel", (string?)card["summary"], StringComparison.Ordinal);
        Assert.Contains("2024-02-22", (string?)card["detail"], StringComparison.Ordinal);

        // order-sign of the same germline panel: the governance card.
        var sign = Body("order-sign", patient, new JsonObject
        {
            ["resourceType"] = "ServiceRequest", ["id"] = "sr-panel", ["status"] = "draft", ["intent"] = "order",
            ["code"] = reportCode.DeepClone(),
            ["subject"] = new JsonObject { ["reference"] = patient },
        });
        var governanceUrl = new Uri(server.Api, "cds-services/genetic-test-governance-order-sign");
        var (governed, governance) = await PostAsync(server, governanceUrl, sign, issuer.Token(governanceUrl), ct);
        Assert.True(governed == HttpStatusCode.OK, governance.ToJsonString());
        Assert.True(governance["cards"]!.AsArray().Count == 1, $"{governance.ToJsonString()} for {sign.ToJsonString()}");
        var warning = governance["cards"]![0]!;
        Assert.Equal("warning", (string?)warning["indicator"]);
        Assert.Equal("ServiceRequest/sr-panel", (string?)warning["suggestions"]![0]!["actions"]![0]!["resourceId"]);

        // Feedback on the PGx card, then its count in the status API.
        var feedback = new JsonObject
        {
            ["feedback"] = new JsonArray(new JsonObject
            {
                ["card"] = (string?)card["uuid"], ["outcome"] = "overridden", ["outcomeTimestamp"] = "2026-12-06T09:30:00Z",
                ["overrideReason"] = new JsonObject { ["reason"] = new JsonObject { ["code"] = "will-monitor", ["system"] = "https://precisionmed.example.org/cds/override-reason" } },
            }),
        };
        var feedbackUrl = new Uri(server.Api, "cds-services/pgx-prescribing-order-select/feedback");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(server, feedbackUrl, feedback, issuer.Token(pgxUrl), ct)).Status);
        var counts = JsonNode.Parse(await server.Http.GetStringAsync("cds-feedback", ct))!;
        Assert.Contains(counts["feedback"]!.AsArray(), c => (string?)c!["kind"] == "pgx-avoid" && (string?)c["outcome"] == "overridden" && (long)c["count"]! == 1);

        var run = await server.StopAsync();
        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        Assert.DoesNotContain(patient.Split('/')[1], run.Stdout + run.Stderr, StringComparison.Ordinal);

        // The same counts from the command line, for ordering-governance reporting.
        var governanceReport = await Pmed.RunAsync(["status", "--cds-feedback", "--cosmos", stack.Stack.CosmosEndpoint.ToString(), "--cosmos-key", stack.Stack.CosmosKey, "--database", _database]);
        Assert.True(governanceReport.Exit == ExitCodes.Ok, governanceReport.ToString());
        Assert.Matches(@"pgx-prescribing-order-select\s+pgx-avoid\s+overridden\s+will-monitor\s+1", governanceReport.Stdout);
        Assert.Contains("1 feedback outcome(s)", governanceReport.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(patient.Split('/')[1], governanceReport.Stdout + governanceReport.Stderr, StringComparison.Ordinal);
    }

    /// <summary>The batch's PGx report into FHIR and the index; its Patient and the report's code (the lab's panel).</summary>
    private async Task<(string Patient, JsonNode Code)> IngestPgxReportAsync(CancellationToken ct)
    {
        var output = Path.Combine(_work.FullName, "ingest");
        var ingest = await Pmed.RunAsync(["ingest", await PgxTestMessage.WriteAsync(_work.FullName, "CDS-HOOKS", ct), "--out", output, .. Connection]);
        Assert.True(ingest.Exit == ExitCodes.Ok, ingest.ToString());
        var bundle = Directory.GetFiles(output, "*.json").Select(f => JsonNode.Parse(File.ReadAllText(f))!)
            .Single(b => b.ToJsonString().Contains("CYP2C19 *2/*2", StringComparison.Ordinal));
        var report = bundle["entry"]!.AsArray().Select(e => (string?)e!["request"]!["url"]).Single(u => u!.StartsWith("DiagnosticReport/", StringComparison.Ordinal))!;
        using var fhir = stack.Stack.CreateFhirHttpClient();
        var stored = JsonNode.Parse(await fhir.GetStringAsync(report, ct))!;
        return ((string?)stored["subject"]?["reference"] ?? throw new InvalidOperationException("the report has no subject"), stored["code"]!);
    }

    private static JsonObject Body(string hook, string patient, JsonObject order)
    {
        var context = new JsonObject
        {
            ["userId"] = "Practitioner/example",
            ["patientId"] = patient.Split('/')[1],
            ["encounterId"] = "enc-1",
            ["draftOrders"] = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "collection", ["entry"] = new JsonArray(new JsonObject { ["resource"] = order }) },
        };
        if (hook == "order-select") context["selections"] = new JsonArray($"{order["resourceType"]}/{order["id"]}");
        return new JsonObject { ["hook"] = hook, ["hookInstance"] = Guid.NewGuid().ToString(), ["context"] = context };
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(PmedServer server, Uri url, JsonObject body, string? token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await server.Http.SendAsync(request, ct);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!.AsObject());
    }

    public void Dispose() => _work.Delete(recursive: true);
}
