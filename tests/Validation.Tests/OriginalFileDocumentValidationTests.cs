using System.Text.Json.Nodes;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Formats.Fhir;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Testing.Validation;
using PrecisionMed.Validation.Tests.Hl7v2;
using PrecisionMed.Validation.Tests.Vcf;
using Xunit;

namespace PrecisionMed.Validation.Tests;

/// <summary>
/// Every report, whatever its format, carries a DocumentReference to its original file where the pipeline keeps it
/// (<c>archive/{lab}/{hash}/{name}</c>), named by the report's Provenance too; it validates against R4 and the IG, and
/// its references resolve in its bundle. Real corpus files through the real intake path.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class OriginalFileDocumentValidationTests
{
    private const string LabId = "lab-a";
    private const string HashSystem = "urn:precisionmed:sha256";

    [Theory]
    [InlineData("genomic/nwgmsa_MFT_ORU_R01_PDF.txt")]
    [InlineData("general-lab/msft_ORU-R01-01.hl7")]
    [InlineData("authored/batch_three_messages.hl7")]
    public async Task Hl7v2Report_HasAValidDocumentReferenceToItsArchivedOriginal(string file)
    {
        var units = await Hl7v2Pipeline.RunAsync(file, TestContext.Current.CancellationToken);
        var hash = HashOf(Path.Combine(Hl7v2Pipeline.Root, file));

        foreach (var unit in units)
            AssertOriginalDocument(unit, $"archive/{LabId}/{hash}/{file}", "x-application/hl7-v2+er7", hash, profile: null, validateAll: true);
    }

    [Theory]
    [InlineData("vcf2fhir/NB6TK328_filtered.vcf", "text/plain")]
    [InlineData("edge/vcfvalidator_passed_compressed_plain_gzip.vcf.gz", "application/gzip")]
    public async Task VcfReport_HasAValidGenomicDataFileForItsArchivedOriginal(string file, string contentType)
    {
        var units = await VcfPipeline.RunAsync(file, TestContext.Current.CancellationToken);
        var hash = HashOf(Path.Combine(VcfPipeline.Root, file));

        Assert.NotEmpty(units);
        foreach (var unit in units)
            AssertOriginalDocument(unit, $"archive/{VcfPipeline.LabId}/{hash}/{file}", contentType, hash, Core.Fhir.Genomics.GenomicsCodes.GenomicDataFileProfile, validateAll: true);
    }

    [Theory]
    [InlineData("Bundle-bundle-pgxexample.json")]
    [InlineData("Bundle-bundle-oncology-report-example.json")]
    public async Task LabFhirBundle_GetsOurDocumentReferenceAndTheLabsReportStaysAsSent(string file)
    {
        var ct = TestContext.Current.CancellationToken;
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "fhir", "ig-examples", file);
        var bytes = await File.ReadAllBytesAsync(path, ct);
        OpenLabFile open = _ => Task.FromResult<Stream>(new MemoryStream(bytes, writable: false));
        var intake = new LabFileIntake([new FhirBundleFormat()]);
        var plan = await intake.PlanAsync(open, ct);
        var name = "2026/" + file;
        var withoutOurs = new List<ReportTransaction>();
        for (var unit = 0; unit < plan.UnitCount; unit++)
        {
            var provenance = new ReportProvenance(LabId, $"incoming/{LabId}/{name}", plan.ContentHash, name, unit, plan.UnitCount, Hl7v2Pipeline.ReceivedAt, "test");
            var transaction = await intake.BuildUnitAsync(open, provenance, ct);

            // The lab's own resources are validated by the IG example tests; ours are validated here.
            AssertOriginalDocument(transaction, $"archive/{LabId}/{plan.ContentHash}/{name}", "application/fhir+json", plan.ContentHash, profile: null, validateAll: false);

            // A local file (no archive) gets no DocumentReference; everything else is the same, the lab's report included.
            withoutOurs.Add(await intake.BuildUnitAsync(open, provenance with { SourceBlob = "relative/" + name }, ct));
            var report = transaction.ReportReference!;
            Assert.Equal(
                Resources(withoutOurs[^1]).Single(r => $"DiagnosticReport/{(string?)r["id"]}" == report).ToJsonString(),
                Resources(transaction).Single(r => $"DiagnosticReport/{(string?)r["id"]}" == report).ToJsonString());
        }
    }

    private static void AssertOriginalDocument(
        ReportTransaction transaction, string archived, string contentType, string hash, string? profile, bool validateAll)
    {
        var resources = Resources(transaction).ToList();
        var document = Assert.Single(resources, r => (string?)r["resourceType"] == "DocumentReference" && (string?)r["identifier"]?[0]?["system"] == HashSystem);
        var reference = $"DocumentReference/{(string?)document["id"]}";
        Assert.Equal(hash, (string?)document["identifier"]![0]!["value"]);
        var attachment = document["content"]![0]!["attachment"]!;
        Assert.Equal("urn:precisionmed:blob:" + archived, (string?)attachment["url"]);
        Assert.Equal(contentType, (string?)attachment["contentType"]);
        Assert.Null(attachment["hash"]); // FHIR R4's hash is a SHA-1: the SHA-256 is the identifier
        Assert.Equal(profile, (string?)document["meta"]?["profile"]?[0]);
        if (transaction.ReportReference is { } report) Assert.Equal(report, (string?)document["context"]!["related"]![0]!["reference"]);
        Assert.Contains(reference, transaction.OwnedReferences);

        var provenance = resources.Single(r => (string?)r["resourceType"] == "Provenance");
        var source = Assert.Single(provenance["entity"]!.AsArray(), e => (string?)e!["what"]!["identifier"]!["system"] == "urn:precisionmed:source-blob")!;
        Assert.Equal(reference, (string?)source["what"]!["reference"]);
        Assert.Equal(archived, (string?)source["what"]!["identifier"]!["value"]);
        Assert.Single(provenance["entity"]!.AsArray(), e => (string?)e!["what"]!["identifier"]!["system"] == "urn:precisionmed:lab-file-name");

        var checkedResources = validateAll ? resources : [document, provenance];
        var errors = checkedResources
            .SelectMany(r => FhirProfileValidator.Shared.Validate(r.ToJsonString()).Errors.Select(e => $"{(string?)r["resourceType"]}/{(string?)r["id"]}: {e}"))
            .ToList();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
        foreach (var bundle in transaction.Bundles)
        {
            var references = BundleValidation.CheckReferences(bundle.ToJsonString());
            Assert.DoesNotContain(references.UnresolvedReferences, r => r.ToString().StartsWith("DocumentReference/", StringComparison.Ordinal)
                || r.ToString().StartsWith("Provenance/", StringComparison.Ordinal));
        }
    }

    private static IEnumerable<JsonObject> Resources(ReportTransaction transaction) =>
        transaction.Bundles.SelectMany(b => b["entry"]!.AsArray()).Select(e => e!["resource"]!.AsObject());

    private static string HashOf(string path) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));
}
