using System.Net;
using System.Text.Json.Nodes;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>
/// One patient's picture across labs and over time, asked over real HTTP (<c>pmed serve</c>) while the labs' files arrive
/// (<c>pmed ingest --fhir --cosmos</c>, which keeps the genomic index as the worker does): an HL7 v2 report from one lab
/// and a VCF from another, for the same patient identifier, answered together; then the first lab's correction (which
/// drops a complex variant and its diagnostic implication) and its cancellation, each reflected in the next answer.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class GenomicsAcrossLabsServeTests(LocalStackFixture stack) : IDisposable
{
    private const string Hl7Variant = "NC_000003.11:128625062:C:T"; // the HL7 v2 report's ACAD9 variant (g.128625063C>T)
    private const string VcfVariant = "NC_000007.13:117199645:C:T"; // the VCF's variant, chr7 1-based 117199646 on GRCh37
    private const string Debrisoquine = "http://snomed.info/sct|293498008"; // the implication the correction withdraws

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pmed-genomics-labs-");
    private readonly string _database = "pmed-cli-labs-" + Guid.NewGuid().ToString("N")[..10];

    private string[] Connection => ["--fhir", stack.Stack.FhirBaseUrl.ToString(), "--cosmos", stack.Stack.CosmosEndpoint.ToString(), "--cosmos-key", stack.Stack.CosmosKey, "--database", _database];

    [Fact]
    public async Task TwoLabsOnePatient_AnsweredTogether_CorrectionAndCancellationReflected()
    {
        var ct = TestContext.Current.CancellationToken;
        var hl7 = Path.Combine(RepositoryPaths.Root, "tests", "TestData", "hl7v2", "authored");
        var patient = await IngestAsync("lab-a", Path.Combine(hl7, "germline_from_cgexample.hl7"), ct);
        Assert.Equal(patient, await IngestAsync("lab-b", WriteVcf(), ct));
        await using var server = await PmedServer.StartAsync(["--port", "0", "--storage", stack.Stack.AzuriteConnectionString, .. Connection]);
        var subject = "subject=" + patient;

        // Both labs' variants in one answer, both tests in the study metadata.
        var variants = $"genomics/$find-subject-specific-variants?{subject}&variants={Hl7Variant}&variants={VcfVariant}";
        Assert.Equal([true, true], Presence(await GetAsync(server, variants, ct), "variants"));
        // The HL7 v2 variant states a copy number, so it is a structural variant, not among the simple ones in a range.
        var ranges = $"genomics/$find-subject-variants?{subject}&ranges=NC_000003.11:128000000-129000000&ranges=NC_000007.13:117000000-118000000";
        Assert.Equal([false, true], Presence(await GetAsync(server, ranges, ct), "variants"));
        Assert.Equal(2, Named(await GetAsync(server, $"genomics/$find-study-metadata?{subject}", ct), "tests").Count);
        var debrisoquine = $"genomics/$find-subject-dx-implications?{subject}&conditions={Debrisoquine}";
        Assert.NotEmpty(Named(await GetAsync(server, debrisoquine, ct), "implication"));

        // The first lab's correction withdraws the complex variant and its implication; its other findings and the other lab's stay.
        Assert.Equal(patient, await IngestAsync("lab-a", Path.Combine(hl7, "corrected_germline.hl7"), ct));
        Assert.Empty(Named(await GetAsync(server, debrisoquine, ct), "implication"));
        Assert.Equal([true, true], Presence(await GetAsync(server, variants, ct), "variants"));

        // Its cancellation withdraws every result of that report: only the other lab's remain.
        Assert.Equal(patient, await IngestAsync("lab-a", Path.Combine(hl7, "cancelled_germline.hl7"), ct));
        Assert.Equal([false, true], Presence(await GetAsync(server, variants, ct), "variants"));
        Assert.Single(Named(await GetAsync(server, $"genomics/$find-study-metadata?{subject}", ct), "tests"));
        var population = await GetAsync(server, $"genomics/$find-population-specific-variants?variants={Hl7Variant}&variants={VcfVariant}", ct);
        Assert.Equal(["0", "1"], Named(population, "variants").Select(v => Part(v, "numerator")!["valueQuantity"]!["value"]!.ToString()));

        var run = await server.StopAsync();
        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
    }

    /// <summary>The second lab's VCF: one variant, its manifest naming the HL7 v2 report's patient (PID-3's identifier).</summary>
    private string WriteVcf()
    {
        var vcf = Path.Combine(_work.FullName, "lab-b-sample.vcf");
        File.WriteAllText(vcf, """
            ##fileformat=VCFv4.2
            ##reference=GRCh37
            ##contig=<ID=7,length=159138663,assembly=GRCh37>
            ##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">
            #CHROM	POS	ID	REF	ALT	QUAL	FILTER	INFO	FORMAT	LABB01
            7	117199646	.	C	T	900	PASS	.	GT	0/1

            """.ReplaceLineEndings("\n"));
        File.WriteAllText(vcf + ".manifest.json", """
            {
              "vcf": "lab-b-sample.vcf",
              "samples": [
                {
                  "sample": "LABB01",
                  "patient": { "identifier": { "system": "urn:oid:2.16.840.1.113883.19.5.1", "value": "SL100002" } },
                  "accession": "LABB-2024-0001",
                  "testCode": { "system": "http://loinc.org", "code": "51969-4", "display": "Genetic analysis report" }
                }
              ]
            }
            """);
        return vcf;
    }

    /// <summary>Ingests a lab file into FHIR and the index as <paramref name="lab"/>; the Patient its report was written under.</summary>
    private async Task<string> IngestAsync(string lab, string file, CancellationToken ct)
    {
        var output = Path.Combine(_work.FullName, lab + "-" + Path.GetFileNameWithoutExtension(file));
        var ingest = await Pmed.RunAsync(["ingest", file, "--out", output, "--lab", lab, .. Connection]);
        Assert.True(ingest.Exit == ExitCodes.Ok, ingest.ToString());
        var written = JsonNode.Parse(await File.ReadAllTextAsync(Directory.GetFiles(output, "*.json").Single(), ct))!;
        var report = written["entry"]!.AsArray().Select(e => (string?)e!["request"]!["url"]).Single(u => u!.StartsWith("DiagnosticReport/", StringComparison.Ordinal))!;
        using var fhir = stack.Stack.CreateFhirHttpClient();
        return (string)JsonNode.Parse(await fhir.GetStringAsync(report, ct))!["subject"]!["reference"]!;
    }

    private static async Task<JsonObject> GetAsync(PmedServer server, string path, CancellationToken ct)
    {
        using var response = await server.Http.GetAsync(path, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private static List<JsonObject> Named(JsonObject parameters, string name) =>
        [.. (parameters["parameter"] as JsonArray ?? []).OfType<JsonObject>().Where(p => (string?)p["name"] == name)];

    private static JsonObject? Part(JsonObject parameter, string name) =>
        (parameter["part"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(p => (string?)p["name"] == name);

    private static List<bool> Presence(JsonObject parameters, string name) =>
        [.. Named(parameters, name).Select(v => Part(v, "presence")!["valueBoolean"]!.GetValue<bool>())];

    public void Dispose() => _work.Delete(recursive: true);
}
