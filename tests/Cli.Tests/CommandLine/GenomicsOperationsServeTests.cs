using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Testing.Stack;
using PrecisionMed.Testing.Validation;
using PrecisionMed.Validation;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>
/// The Genomics Reporting IG's operations end to end over real HTTP: the sample VCF (with its manifest) and the IG's
/// pgxexample bundle ingested with
/// <c>pmed ingest --fhir --cosmos</c> (FHIR written, genomic index kept in the same unit of work), then asked through
/// <c>pmed serve</c> as a clinician's app asks, GET and POST; every resource returned validates against its IG profile.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class GenomicsOperationsServeTests(LocalStackFixture stack) : IDisposable
{
    /// <summary>APC's variant in the sample VCF: NC_000005.10 (GRCh38) 1-based 112841059 T&gt;A.</summary>
    private const string ApcVariant = "NC_000005.10:112841058:T:A";

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pmed-genomics-ops-");
    private readonly string _database = "pmed-cli-ops-" + Guid.NewGuid().ToString("N")[..10];

    private string[] Connection => ["--fhir", stack.Stack.FhirBaseUrl.ToString(), "--cosmos", stack.Stack.CosmosEndpoint.ToString(), "--cosmos-key", stack.Stack.CosmosKey, "--database", _database];

    [Fact]
    public async Task IgExamplesIngested_OperationsOverHttp_AnswerAsTheIgShapesThem()
    {
        var ct = TestContext.Current.CancellationToken;
        var vcf = await IngestAsync(Path.Combine(RepositoryPaths.Root, "samples", "NB6TK328_filtered.vcf"), ct);
        var pgx = await IngestAsync(Path.Combine(RepositoryPaths.Root, "tests", "TestData", "fhir", "ig-examples", "Bundle-bundle-pgxexample.json"), ct);
        await using var server = await PmedServer.StartAsync(["--port", "0", "--storage", stack.Stack.AzuriteConnectionString, .. Connection]);

        // find-subject-variants with the variants themselves, by range (0-based, half-open).
        var variants = await GetAsync(server, $"genomics/$find-subject-variants?subject={vcf}&ranges=NC_000005.10:112000000-113000000&ranges=NC_000017.11:1-1000&includeVariants=true", ct);
        var ranges = Parts(variants, "variants");
        Assert.Equal(2, ranges.Count);
        Assert.True(Value<bool>(ranges[0], "presence"));
        Assert.False(Value<bool>(ranges[1], "presence"));
        var returned = ranges[0].Where(p => (string?)p["name"] == "variant").Select(p => p["resource"]!.AsObject()).ToList();
        Assert.NotEmpty(returned);
        Assert.Contains(returned, r => r.ToJsonString().Contains("112841059", StringComparison.Ordinal));
        AssertValid(returned);

        // The IG's operations page: a comma-separated list is the name repeated (its reference implementation's tests send ", ").
        var listed = await GetAsync(server, $"genomics/$find-subject-variants?subject={vcf}&ranges=NC_000005.10:112000000-113000000,%20NC_000017.11:1-1000&includeVariants=true", ct);
        Assert.True(JsonNode.DeepEquals(variants, listed), listed.ToJsonString());

        // The same question by variant, GET and POST alike.
        var specific = await GetAsync(server, $"genomics/$find-subject-specific-variants?subject={vcf}&variants={ApcVariant}&variants=NC_000005.10:g.112841059T%3EG", ct);
        var items = Parts(specific, "variants");
        Assert.True(Value<bool>(items[0], "presence"));
        Assert.False(Value<bool>(items[1], "presence"));
        var posted = await PostAsync(server, "genomics/$find-subject-specific-variants", new JsonObject
        {
            ["resourceType"] = "Parameters",
            ["parameter"] = new JsonArray(
                new JsonObject { ["name"] = "subject", ["valueString"] = vcf },
                new JsonObject { ["name"] = "variants", ["valueString"] = ApcVariant },
                new JsonObject { ["name"] = "variants", ["valueString"] = "NC_000005.10:g.112841059T>G" }),
        }, ct);
        Assert.True(JsonNode.DeepEquals(specific, posted));

        // The second report's genotype and its therapeutic implication, for its own patient only.
        var haplotypes = await GetAsync(server, $"genomics/$find-subject-haplotypes?subject={pgx}&genes=HGNC:2623", ct);
        var genotype = Parts(haplotypes, "haplotypes").Single().Where(p => p["resource"] is not null).Select(p => p["resource"]!.AsObject()).ToList();
        Assert.NotEmpty(genotype);
        AssertValid(genotype);
        var implications = await GetAsync(server, $"genomics/$find-subject-tx-implications?subject={pgx}&haplotypes=CYP2C9", ct);
        Assert.NotEmpty(implications["parameter"]!.AsArray());

        // Population: the variant counted over the index's patients.
        var population = await GetAsync(server, $"genomics/$find-population-specific-variants?variants={ApcVariant}&includePatientList=true", ct);
        var counted = Parts(population, "variants").Single();
        Assert.Equal(1m, counted.Single(p => (string?)p["name"] == "numerator")["valueQuantity"]!["value"]!.GetValue<decimal>());

        // Errors as OperationOutcomes: a malformed variant names the parameter, an unknown patient or operation is 404.
        var malformed = await server.Http.GetAsync($"genomics/$find-subject-specific-variants?subject={vcf}&variants=chr10-banana", ct);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var outcome = JsonNode.Parse(await malformed.Content.ReadAsStringAsync(ct))!;
        Assert.Equal("OperationOutcome", (string?)outcome["resourceType"]);
        Assert.Contains("variants", outcome.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("genomics/$find-subject-variants?subject=Patient/nobody&ranges=NC_000005.10:1-2", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("genomics/$find-everything", ct)).StatusCode);

        var run = await server.StopAsync();
        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        Assert.DoesNotContain(vcf, run.Stdout + run.Stderr, StringComparison.Ordinal); // no parameter is logged
    }

    /// <summary>Ingests a lab file into FHIR and the index; the Patient its report was written under.</summary>
    private async Task<string> IngestAsync(string file, CancellationToken ct)
    {
        var output = Path.Combine(_work.FullName, Path.GetFileNameWithoutExtension(file));
        var ingest = await Pmed.RunAsync(["ingest", file, "--out", output, .. Connection]);
        Assert.True(ingest.Exit == ExitCodes.Ok, ingest.ToString());
        var written = JsonNode.Parse(await File.ReadAllTextAsync(Directory.GetFiles(output, "*.json").Single(), ct))!;
        var report = written["entry"]!.AsArray().Select(e => (string?)e!["request"]!["url"]).Single(u => u!.StartsWith("DiagnosticReport/", StringComparison.Ordinal))!;
        using var fhir = stack.Stack.CreateFhirHttpClient();
        var stored = await fhir.GetStringAsync(report, ct);
        var subject = (string?)JsonNode.Parse(stored)?["subject"]?["reference"];
        Assert.True(subject is not null, $"{report} in FHIR has no subject: {stored[..Math.Min(300, stored.Length)]}");
        return subject;
    }

    private static async Task<JsonObject> GetAsync(PmedServer server, string path, CancellationToken ct)
    {
        using var response = await server.Http.GetAsync(path, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private static async Task<JsonObject> PostAsync(PmedServer server, string path, JsonObject parameters, CancellationToken ct)
    {
        using var response = await server.Http.PostAsync(path, new StringContent(parameters.ToJsonString(), Encoding.UTF8, "application/fhir+json"), ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private static List<List<JsonObject>> Parts(JsonObject parameters, string name) =>
        [.. parameters["parameter"]!.AsArray().Where(p => (string?)p!["name"] == name).Select(p => p!["part"]!.AsArray().Select(x => x!.AsObject()).ToList())];

    private static T Value<T>(List<JsonObject> parts, string name) =>
        parts.Single(p => (string?)p["name"] == name).Where(kv => kv.Key.StartsWith("value", StringComparison.Ordinal)).Single().Value!.GetValue<T>();

    private static void AssertValid(List<JsonObject> resources)
    {
        var errors = resources.SelectMany(r => FhirProfileValidator.Shared.Validate(r.ToJsonString()).Errors.Select(e => $"{r["id"]}: {e}")).ToList();
        Assert.True(errors.Count == 0, string.Join('\n', errors.Take(10)));
    }

    public void Dispose() => _work.Delete(recursive: true);
}
