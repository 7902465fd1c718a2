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
/// pgx-prescribing's FHIR fallback over real HTTP: a lab's CYP2C19 *2/*2 report written to the FHIR dev server by
/// <c>pmed ingest --fhir</c> alone (no genomic index entry for the patient: the index pmed serve reads is a fresh
/// database's), then <c>pmed serve</c> answers order-select for clopidogrel from the patient's genotype searched on FHIR:
/// through the app's FHIR service, and through the EHR's <c>fhirServer</c> with its <c>fhirAuthorization</c>.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class CdsFhirFallbackServeTests(LocalStackFixture stack) : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pmed-cds-fhir-");
    private readonly string _database = "pmed-cli-cdsfhir-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task PatientNotInTheIndex_GenotypeOnFhir_TheCyp2c19CardFromFhir()
    {
        var ct = TestContext.Current.CancellationToken;
        var output = Path.Combine(_work.FullName, "ingest");
        var fhirUrl = stack.Stack.FhirBaseUrl.ToString();
        var message = await PgxTestMessage.WriteAsync(_work.FullName, "CDS-FHIR", ct);
        var ingest = await Pmed.RunAsync(["ingest", message, "--out", output, "--fhir", fhirUrl]);
        Assert.True(ingest.Exit == ExitCodes.Ok, ingest.ToString());
        var bundle = Directory.GetFiles(output, "*.json").Select(f => JsonNode.Parse(File.ReadAllText(f))!)
            .Single(b => b.ToJsonString().Contains("CYP2C19 *2/*2", StringComparison.Ordinal));
        var report = bundle["entry"]!.AsArray().Select(e => (string?)e!["request"]!["url"]).Single(u => u!.StartsWith("DiagnosticReport/", StringComparison.Ordinal))!;
        using var fhir = stack.Stack.CreateFhirHttpClient();
        var patient = (string)JsonNode.Parse(await fhir.GetStringAsync(report, ct))!["subject"]!["reference"]!;

        await using var issuer = await TestCdsIssuer.StartAsync(cancellationToken: ct);
        await using var server = await PmedServer.StartAsync(
            new Dictionary<string, string> { ["Cds__TrustedIssuers"] = issuer.TrustedIssuersSetting },
            ["--port", "0", "--embedded-knowledge", "--storage", stack.Stack.AzuriteConnectionString, "--fhir", fhirUrl,
                "--cosmos", stack.Stack.CosmosEndpoint.ToString(), "--cosmos-key", stack.Stack.CosmosKey, "--database", _database]);
        var url = new Uri(server.Api, "cds-services/pgx-prescribing-order-select");

        // The app's FHIR service (no fhirServer sent).
        var (status, answer) = await PostAsync(server, url, Body(patient, null), issuer.Token(url), ct);
        Assert.True(status == HttpStatusCode.OK, answer.ToJsonString());
        var card = Assert.Single(answer["cards"]!.AsArray())!;
        Assert.Equal("critical", (string?)card["indicator"]);
        Assert.Contains("CYP2C19 Poor Metabolizer", (string?)card["summary"], StringComparison.Ordinal);
        Assert.Contains("(FHIR service)", (string?)card["detail"], StringComparison.Ordinal);
        Assert.Contains(report, (string?)card["detail"], StringComparison.Ordinal);

        // The EHR's FHIR server with the token it sent (the dev server plays the EHR's).
        (status, answer) = await PostAsync(server, url, Body(patient, fhirUrl), issuer.Token(url), ct);
        Assert.True(status == HttpStatusCode.OK, answer.ToJsonString());
        Assert.Contains("(EHR's FHIR server)", (string?)Assert.Single(answer["cards"]!.AsArray())!["detail"], StringComparison.Ordinal);

        var run = await server.StopAsync();
        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        Assert.DoesNotContain(patient.Split('/')[1], run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EhrFhirServerThatHangs_Answers412NamingTheServerAndTheTimeout_AfterCdsFhirTimeout()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var hanging = new PlainHttpServer(answers: false);
        await using var issuer = await TestCdsIssuer.StartAsync(cancellationToken: ct);
        await using var server = await PmedServer.StartAsync(
            new Dictionary<string, string> { ["Cds__TrustedIssuers"] = issuer.TrustedIssuersSetting, ["Cds__FhirTimeout"] = "00:00:01" },
            ServeHostileInputTests.StackConnection(stack, _database));
        var url = new Uri(server.Api, "cds-services/pgx-prescribing-order-select");

        // A first call, to an EHR server that answers at once (a web page, not FHIR: 412 too), pays for the cold start (keys, Cosmos DB).
        await using var answering = new PlainHttpServer();
        var (warm, _) = await PostAsync(server, url, Body("Patient/p-hang", answering.Url.ToString()), issuer.Token(url), ct);

        // The patient is in no index (a fresh database): the genotypes are searched on the EHR's server, which never answers.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (status, answer) = await PostAsync(server, url, Body("Patient/p-hang", hanging.Url.ToString()), issuer.Token(url), ct);
        clock.Stop();
        var run = await server.StopAsync();

        Assert.Equal(HttpStatusCode.PreconditionFailed, warm);
        Assert.True(status == HttpStatusCode.PreconditionFailed, answer.ToJsonString());
        Assert.Equal(
            "the FHIR data this service needs was neither prefetched nor read: the EHR's FHIR server did not answer within 1 s for the patient's DiagnosticReport resources",
            (string?)answer["error"]);
        // Cds__FhirTimeout's 1 s, not the HTTP client's 10 s.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1) && clock.Elapsed < TimeSpan.FromSeconds(8), $"answered after {clock.Elapsed}");
        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        Assert.DoesNotContain("p-hang", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    private static JsonObject Body(string patient, string? fhirServer)
    {
        var order = new JsonObject
        {
            ["resourceType"] = "MedicationRequest", ["id"] = "mr-clopidogrel", ["status"] = "draft", ["intent"] = "order",
            ["medicationCodeableConcept"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://www.nlm.nih.gov/research/umls/rxnorm", ["code"] = "32968", ["display"] = "clopidogrel" }) },
            ["subject"] = new JsonObject { ["reference"] = patient },
        };
        var body = new JsonObject
        {
            ["hook"] = "order-select",
            ["hookInstance"] = Guid.NewGuid().ToString(),
            ["context"] = new JsonObject
            {
                ["userId"] = "Practitioner/example",
                ["patientId"] = patient.Split('/')[1],
                ["draftOrders"] = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "collection", ["entry"] = new JsonArray(new JsonObject { ["resource"] = order }) },
                ["selections"] = new JsonArray((JsonNode)"MedicationRequest/mr-clopidogrel"),
            },
        };
        if (fhirServer is not null)
        {
            body["fhirServer"] = fhirServer;
            body["fhirAuthorization"] = new JsonObject { ["access_token"] = "ehr-access-token", ["token_type"] = "Bearer", ["scope"] = "patient/*.read" };
        }

        return body;
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(PmedServer server, Uri url, JsonObject body, string token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await server.Http.SendAsync(request, ct);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!.AsObject());
    }

    public void Dispose() => _work.Delete(recursive: true);
}
