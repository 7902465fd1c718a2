using System.Text.Json.Nodes;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Cli.Ingest;
using Xunit;

namespace PrecisionMed.Cli.Tests.Ingest;

/// <summary>
/// <c>pmed ingest</c> of local files: each report's DocumentReference to its original and its Provenance name the
/// local file (a <c>file:</c> URL and its path), as nothing is archived; HL7 v2, VCF and FHIR alike.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class IngestOriginalFileTests : IDisposable
{
    private readonly DirectoryInfo _output = Directory.CreateTempSubdirectory("pmed-ingest-original-");
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    [Theory]
    [InlineData("hl7v2/authored/germline_from_cgexample.hl7", "x-application/hl7-v2+er7")]
    [InlineData("vcf/vcf2fhir/NB6TK328_filtered.vcf", "text/plain")]
    [InlineData("fhir/ig-examples/Bundle-bundle-oncology-diagnostic.json", "application/fhir+json")]
    public async Task Ingest_LocalFile_DocumentReferenceAndProvenanceNameTheLocalFile(string relativePath, string contentType)
    {
        var path = Path.Combine(RepositoryPaths.Root, "tests", "TestData", relativePath);

        // A VCF states its patient on the command line (it names none itself); the other formats carry theirs.
        string[] identity = contentType == "text/plain" ? ["--patient", "urn:oid:2.16.840.1.113883.19.5.99|patient-1"] : [];
        var exit = await PmedCommandLine.RunAsync(["ingest", path, "--out", _output.FullName, .. identity], _stdout, _stderr, TestContext.Current.CancellationToken);

        Assert.True(exit == IngestRunner.ExitOk, _stderr.ToString());
        var resources = _output.GetFiles("*.transaction.json")
            .SelectMany(f => JsonNode.Parse(File.ReadAllText(f.FullName))!["entry"]!.AsArray())
            .Select(e => e!["resource"]!)
            .ToList();
        var document = Assert.Single(resources, r => (string?)r["resourceType"] == "DocumentReference" && (string?)r["identifier"]?[0]?["system"] == "urn:precisionmed:sha256");
        var attachment = document["content"]![0]!["attachment"]!;
        Assert.Equal(new Uri(Path.GetFullPath(path)).AbsoluteUri, (string?)attachment["url"]);
        Assert.Equal(contentType, (string?)attachment["contentType"]);
        var provenance = Assert.Single(resources, r => (string?)r["resourceType"] == "Provenance");
        var source = provenance["entity"]![0]!["what"]!;
        Assert.Equal(Path.GetFullPath(path), (string?)source["identifier"]!["value"]);
        Assert.Equal($"DocumentReference/{(string?)document["id"]}", (string?)source["reference"]);
        Assert.DoesNotContain(provenance["entity"]!.AsArray(), e => (string?)e!["what"]!["identifier"]!["system"] == "urn:precisionmed:lab-file-name");
    }

    public void Dispose()
    {
        _stdout.Dispose();
        _stderr.Dispose();
        _output.Delete(recursive: true);
    }
}
