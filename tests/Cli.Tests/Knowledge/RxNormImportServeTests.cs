using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Cli.Tests.CommandLine;
using PrecisionMed.Testing.Cds;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Cli.Tests.Knowledge;

/// <summary>
/// The RxNorm table as a deployment gets it: <c>pmed knowledge import rxnorm</c> of an RRF pair (real RXCUIs,
/// TestData/knowledge/rxnorm) into Cosmos DB beside CPIC's drug table, CYP2C19's phenotypes and the clopidogrel
/// guideline, a CYP2C19 *2/*2 report ingested with <c>pmed ingest --fhir --cosmos</c>, then <c>pmed serve</c> reading
/// that knowledge container (no embedded seed) called over HTTP with a draft MedicationRequest coded only with the
/// clinical drug, SCD 309362 clopidogrel 75 MG Oral Tablet: the CYP2C19 card.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class RxNormImportServeTests(LocalStackFixture stack) : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pmed-rxnorm-");
    private readonly string _database = "pmed-cli-rxnorm-" + Guid.NewGuid().ToString("N")[..10];

    private string[] Cosmos => ["--cosmos", stack.Stack.CosmosEndpoint.ToString(), "--cosmos-key", stack.Stack.CosmosKey, "--database", _database];

    private static string Seed(string file) => Path.Combine(RepositoryPaths.Root, "src", "Core", "Knowledge", "Seed", "pgx", file);

    [Fact]
    public async Task RxNormImported_DraftCodedOnlyWithTheClinicalDrug_GetsTheCyp2c19Card()
    {
        var ct = TestContext.Current.CancellationToken;
        var rxnorm = await Pmed.RunAsync(["knowledge", "import", "rxnorm", Path.Combine(RepositoryPaths.Root, "tests", "TestData", "knowledge", "rxnorm", "rrf"), .. Cosmos]);
        Assert.True(rxnorm.Exit == ExitCodes.Ok, rxnorm.ToString());
        Assert.Contains("rxnorm rrf: 4 documents, 4 written", rxnorm.Stdout, StringComparison.Ordinal);

        // Only the clopidogrel guideline package: the set a gene's guidelines are stored by, kept small here.
        var guidelines = Directory.CreateDirectory(Path.Combine(_work.FullName, "guidelines"));
        File.Copy(Seed("guidelines/CPIC_clopidogrel_and_CYP2C19.json"), Path.Combine(guidelines.FullName, "CPIC_clopidogrel_and_CYP2C19.json"));
        (string Source, string Path)[] knowledge =
        [
            ("cpic-drugs", Seed("cpic/cpic_drugs_rxnorm_2019bootstrap.tsv")),
            ("pharmcat-phenotype", Seed("phenotype/CYP2C19.json")),
            ("pharmcat-guidelines", guidelines.FullName),
        ];
        foreach (var (source, path) in knowledge)
        {
            var import = await Pmed.RunAsync(["knowledge", "import", source, path, .. Cosmos]);
            Assert.True(import.Exit == ExitCodes.Ok, import.ToString());
        }

        var patient = await IngestPgxReportAsync(ct);
        await using var issuer = await TestCdsIssuer.StartAsync(cancellationToken: ct);
        await using var server = await PmedServer.StartAsync(
            new Dictionary<string, string> { ["Cds__TrustedIssuers"] = issuer.TrustedIssuersSetting },
            ["--port", "0", "--storage", stack.Stack.AzuriteConnectionString, "--fhir", stack.Stack.FhirBaseUrl.ToString(), .. Cosmos]);

        var order = new JsonObject
        {
            ["resourceType"] = "MedicationRequest", ["id"] = "mr-scd", ["status"] = "draft", ["intent"] = "order",
            ["medicationCodeableConcept"] = new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://www.nlm.nih.gov/research/umls/rxnorm", ["code"] = "309362", ["display"] = "clopidogrel 75 MG Oral Tablet" }),
            },
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
                ["selections"] = new JsonArray((JsonNode)"MedicationRequest/mr-scd"),
            },
        };
        var url = new Uri(server.Api, "cds-services/pgx-prescribing-order-select");
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", issuer.Token(url));
        using var response = await server.Http.SendAsync(request, ct);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;

        Assert.True(response.StatusCode == HttpStatusCode.OK, answer.ToJsonString());
        var card = Assert.Single(answer["cards"]!.AsArray())!;
        Assert.Equal("critical", (string?)card["indicator"]);
        Assert.Contains("CYP2C19 Poor Metabolizer", (string?)card["summary"], StringComparison.Ordinal);
        Assert.Contains("avoid clopidogrel", (string?)card["summary"], StringComparison.Ordinal);
        Assert.Equal("MedicationRequest/mr-scd", (string?)card["suggestions"]![0]!["actions"]![0]!["resourceId"]);

        var run = await server.StopAsync();
        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
    }

    /// <summary>The batch's PGx report (CYP2C19 *2/*2) into FHIR and the genomic index; its Patient.</summary>
    private async Task<string> IngestPgxReportAsync(CancellationToken ct)
    {
        var output = Path.Combine(_work.FullName, "ingest");
        var ingest = await Pmed.RunAsync(["ingest", await PgxTestMessage.WriteAsync(_work.FullName, "RXNORM", ct), "--out", output, "--fhir", stack.Stack.FhirBaseUrl.ToString(), .. Cosmos]);
        Assert.True(ingest.Exit == ExitCodes.Ok, ingest.ToString());
        var bundle = Directory.GetFiles(output, "*.json").Select(f => JsonNode.Parse(File.ReadAllText(f))!)
            .Single(b => b.ToJsonString().Contains("CYP2C19 *2/*2", StringComparison.Ordinal));
        var report = bundle["entry"]!.AsArray().Select(e => (string?)e!["request"]!["url"]).Single(u => u!.StartsWith("DiagnosticReport/", StringComparison.Ordinal))!;
        using var fhir = stack.Stack.CreateFhirHttpClient();
        var stored = JsonNode.Parse(await fhir.GetStringAsync(report, ct))!;
        return (string?)stored["subject"]?["reference"] ?? throw new InvalidOperationException("the report has no subject");
    }

    public void Dispose() => _work.Delete(recursive: true);
}
