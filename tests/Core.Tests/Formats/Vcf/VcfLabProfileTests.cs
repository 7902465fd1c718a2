using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Fhir.Genomics;
using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Enrichment;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Work;
using PrecisionMed.Testing.Vcf;

namespace PrecisionMed.Core.Tests.Formats.Vcf;

/// <summary>
/// The lab's profile in the knowledge store fills what its VCF files leave out: the genome build when the header
/// names none (before option Vcf:GenomeBuild), and the genomic source class (before Vcf:GenomicSourceClass).
/// </summary>
[Trait("Tier", "Fast")]
public sealed class VcfLabProfileTests
{
    private const string ExampleLab = "example-lab";

    private static readonly KnowledgeLookup Knowledge =
        new(EmbeddedKnowledgeSeed.Instance, Options.Create(new KnowledgeOptions()), TimeProvider.System);

    /// <summary>No ##reference, no contig assembly or length: the file says nothing of its build.</summary>
    private static readonly string NoBuildVcf =
        "##fileformat=VCFv4.2\n##contig=<ID=chr1>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n"
        + "chr1\t100\t.\tA\tG\t.\tPASS\t.\tGT\t0/1\n";

    [Fact]
    public async Task BuildUnit_NoBuildInHeaderFromExampleLab_ProfileBuildGivesRefSeqAndGenomicHgvs()
    {
        // The seed's example-lab profile: GRCh38, germline.
        var transaction = await BuildUnitAsync(NoBuildVcf, ExampleLab, new VcfOptions());

        var variant = Assert.Single(Resources(transaction), r => Profile(r)?.EndsWith("/variant", StringComparison.Ordinal) == true);
        Assert.Equal("NC_000001.11", ComponentCode(variant, "48013-7"));
        Assert.Equal("NC_000001.11:g.100A>G", ComponentCode(variant, "81290-9"));
        Assert.Equal("LA6683-2", ComponentCode(variant, "48002-0"));
        Assert.Equal("LA6706-1", ComponentCode(variant, "53034-5"));
        Assert.DoesNotContain(transaction.Skipped, s => s.Reason.Contains("Vcf:GenomeBuild", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BuildUnit_NoBuildFromLabWithoutProfile_NoRefSeqAndSaysWhy()
    {
        var transaction = await BuildUnitAsync(NoBuildVcf, "lab-without-profile", new VcfOptions());

        var variant = Assert.Single(Resources(transaction), r => Profile(r)?.EndsWith("/variant", StringComparison.Ordinal) == true);
        Assert.Null(ComponentCode(variant, "48013-7"));
        Assert.Contains(transaction.Skipped, s => s.Reason.Contains("the lab's profile names none", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BuildUnit_VcfFile_GenomicDataFileReferencesTheArchivedOriginal()
    {
        var transaction = await BuildUnitAsync(NoBuildVcf, ExampleLab, new VcfOptions(), "incoming/example-lab/2026/run 7.vcf");

        var document = Assert.Single(Resources(transaction), r => (string?)r["resourceType"] == "DocumentReference");
        Assert.Equal(GenomicsCodes.GenomicDataFileProfile, Profile(document));
        Assert.Equal("current", (string?)document["status"]);
        var attachment = document["content"]![0]!["attachment"]!;
        Assert.Equal("urn:precisionmed:blob:archive/example-lab/hash/2026/run%207.vcf", (string?)attachment["url"]); // under its content hash ("hash" here)
        Assert.Equal("text/plain", (string?)attachment["contentType"]);
        Assert.Null(attachment["data"]); // referenced where the pipeline archives it, never copied into the bundle

        // The data file is the report's context, not one of its presented forms.
        var report = Assert.Single(Resources(transaction), r => (string?)r["resourceType"] == "DiagnosticReport");
        Assert.Null(report["presentedForm"]);
        Assert.EndsWith(transaction.ReportReference!, (string?)document["context"]!["related"]![0]!["reference"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_HeaderBuild_WinsOverTheProfile()
    {
        var withLength = NoBuildVcf.Replace("##contig=<ID=chr1>", "##contig=<ID=chr1,length=248956422>", StringComparison.Ordinal);
        var report = await MapAsync(withLength, new VcfOptions { GenomeBuild = "GRCh37" }, new LabProfileDocument("lab", null, "GRCh37", null, null, []));

        Assert.Equal("NC_000001.11", Coded(Assert.Single(report.Variants), "48013-7"));
        Assert.Equal("GRCh38", report.GenomeBuild!.Text);
    }

    [Fact]
    public async Task Map_ProfileBuild_WinsOverTheOption()
    {
        var report = await MapAsync(NoBuildVcf, new VcfOptions { GenomeBuild = "GRCh38" }, new LabProfileDocument("lab", null, "GRCh37", null, null, []));

        Assert.Equal("NC_000001.10:g.100A>G", Coded(Assert.Single(report.Variants), "81290-9"));
        Assert.Equal("GRCh37", report.GenomeBuild!.Text);
    }

    [Fact]
    public async Task Map_ProfileWithoutDefaults_OptionsApply()
    {
        var report = await MapAsync(NoBuildVcf, new VcfOptions { GenomeBuild = "GRCh37", GenomicSourceClass = "unknown" }, new LabProfileDocument("lab", null, null, " ", null, []));

        var variant = Assert.Single(report.Variants);
        Assert.Equal("NC_000001.10", Coded(variant, "48013-7"));
        Assert.Equal("LA18197-6", Coded(variant, "48002-0"));
    }

    [Fact]
    public async Task Map_ProfileSourceClass_WinsOverTheOption()
    {
        var report = await MapAsync(NoBuildVcf, new VcfOptions { GenomicSourceClass = "germline" }, new LabProfileDocument("lab", null, "GRCh38", "somatic", null, []));

        var variant = Assert.Single(report.Variants);
        Assert.Equal("LA6684-0", Coded(variant, "48002-0"));
        Assert.Null(Coded(variant, "53034-5")); // allelic state is a germline notion
    }

    private static async Task<ReportTransaction> BuildUnitAsync(string vcf, string labId, VcfOptions options, string? blob = null)
    {
        var format = new VcfFormat(Options.Create(options), new StoreVariantKnowledge(Knowledge));
        var name = blob is null ? "run.vcf" : blob[$"incoming/{labId}/".Length..];
        var provenance = new ReportProvenance(labId, blob ?? $"incoming/{labId}/run.vcf", "hash", name, 0, 1, DateTimeOffset.UnixEpoch, "test")
        {
            Manifest = TestVcfManifests.For(Path.GetFileName(name), Encoding.UTF8.GetBytes(vcf)),
        };
        return await format.BuildUnitAsync(
            new MemoryStream(Encoding.UTF8.GetBytes(vcf)), provenance, new ReportUnitBuilder(new ReportEnricher(Knowledge)), TestContext.Current.CancellationToken);
    }

    private static async Task<LabReport> MapAsync(string vcf, VcfOptions options, LabProfileDocument profile)
    {
        var ct = TestContext.Current.CancellationToken;
        var reader = await VcfReader.OpenAsync(new MemoryStream(Encoding.UTF8.GetBytes(vcf)), ct);
        var provenance = new ReportProvenance(profile.LabId, $"incoming/{profile.LabId}/run.vcf", "hash", "run.vcf", 0, 1, DateTimeOffset.UnixEpoch, "test")
        {
            Manifest = TestVcfManifests.ForColumns("run.vcf", reader.Header.Samples),
        };
        return await new VcfReportMapper(options, new OneLabProfile(profile)).MapAsync(reader, provenance, ct);
    }

    /// <summary>Knows nothing but one lab's profile.</summary>
    private sealed class OneLabProfile(LabProfileDocument profile) : IVariantKnowledge
    {
        public ValueTask<bool> IsKnownAsync(KnownVariantQuery variant, CancellationToken cancellationToken) => ValueTask.FromResult(false);

        public ValueTask<IReadOnlyList<PharmacogenePositions>> PharmacogenePositionsAsync(string genomeBuild, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<PharmacogenePositions>>([]);

        public ValueTask<VcfLabProfile?> LabProfileAsync(string labId, CancellationToken cancellationToken) =>
            ValueTask.FromResult(labId == profile.LabId ? StoreVariantKnowledge.ForVcf(profile) : null);
    }

    private static List<JsonNode> Resources(ReportTransaction transaction) =>
        [.. transaction.Bundles.SelectMany(b => b["entry"]!.AsArray()).Select(e => e!["resource"]!)];

    private static string? Profile(JsonNode resource) => (string?)resource["meta"]?["profile"]?[0];

    private static string? ComponentCode(JsonNode observation, string loinc) =>
        observation["component"]?.AsArray()
            .FirstOrDefault(c => (string?)c!["code"]!["coding"]![0]!["code"] == loinc)?["valueCodeableConcept"]?["coding"]?[0]?["code"]?.GetValue<string>();

    private static string? Coded(VariantFinding variant, string code) =>
        variant.Components.FirstOrDefault(c => c.Code.Code == code)?.Value is CodedValue { Codings.Count: > 0 } coded ? coded.Codings[0].Code : null;
}
