using System.Text.Json.Nodes;
using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Testing.Validation;
using Xunit;

namespace PrecisionMed.Validation.Tests.Vcf;

/// <summary>
/// Every VCF of the corpus copies through the real intake path: each resource produced validates against R4 and its
/// Genomics Reporting IG 3.0.0 profile with no errors, references resolve in their bundle, and sites-only files are
/// rejected with a positioned reason.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class VcfOutputValidationTests
{
    /// <summary>Files with no sample column: nobody to report on.</summary>
    private static readonly string[] SitesOnly =
    [
        "edge/bcftools_norm.breakend.1.vcf",
        "edge/bcftools_norm.symbolic.vcf",
        "edge/bcftools_split-vep.select-tr-expr.vcf",
        "edge/htslib_modhdr.vcf.gz",
        "edge/pysam_24_crlf_spaces_header.vcf",
        "edge/vcfvalidator_failed_no_final_newline.vcf.gz",
        "edge/vcfvalidator_multiblock_bgzf.vcf.gz",
    ];

    public static TheoryData<string> SampleFiles => new(VcfPipeline.Files().Where(f => !SitesOnly.Contains(f)));

    public static TheoryData<string> SitesOnlyFiles => new(SitesOnly);

    [Fact]
    public void Files_CoverTheCorpus()
    {
        Assert.Equal(30, VcfPipeline.Files().Count());
    }

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public async Task BuildUnit_VcfFile_EveryResourceValidatesWithoutErrors(string file)
    {
        var units = await VcfPipeline.RunAsync(file, TestContext.Current.CancellationToken);
        AssertValid(file, units.SelectMany(u => u.Bundles));
    }

    [Fact]
    public async Task BuildUnit_RegionsAndSomatic_EveryResourceValidatesWithoutErrors()
    {
        var options = new VcfOptions
        {
            RegionsBed = Path.Combine(VcfPipeline.Root, "vcf2fhir", "NB6TK328_conversion_region.bed"),
            GenomicSourceClass = "somatic",
        };
        var units = await VcfPipeline.RunAsync("vcf2fhir/NB6TK328_filtered.vcf", TestContext.Current.CancellationToken, options);
        var profiles = units.SelectMany(u => u.Bundles).SelectMany(b => b["entry"]!.AsArray()).Select(e => (string?)e!["resource"]!["meta"]?["profile"]?[0]).ToList();
        Assert.Contains(profiles, p => p?.EndsWith("/molecular-consequence", StringComparison.Ordinal) == true);
        AssertValid("NB6TK328 with regions", units.SelectMany(u => u.Bundles));
    }

    /// <summary>
    /// CYP2C19 *2/*2 called from the corpus PharmCAT positions file (GT set at *2's three positions): the Genotype,
    /// the CPIC phenotype and clopidogrel TherapeuticImplication, the MedicationRecommendation Task and the three
    /// Variants all validate.
    /// </summary>
    [Fact]
    public async Task BuildUnit_PharmacogenePositions_CalledGenotypeAndImplicationsValidate()
    {
        var text = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "knowledge", "pharmcat_positions.vcf"), TestContext.Current.CancellationToken);
        string[] star2 = ["94775367", "94781859", "94842866"];
        var lines = text.Split('\n').Select(line =>
        {
            var fields = line.Split('\t');
            if (fields.Length > 9 && fields[0] == "chr10" && star2.Contains(fields[1])) fields[^1] = "1/1";
            return string.Join('\t', fields);
        });
        var units = await VcfPipeline.RunAsync("pgx/positions-star2.vcf", System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines)), TestContext.Current.CancellationToken);

        var resources = units.SelectMany(u => u.Bundles).SelectMany(b => b["entry"]!.AsArray()).Select(e => e!["resource"]!).ToList();
        Assert.Contains(resources, r => (string?)r["valueCodeableConcept"]?["text"] == "CYP2C19 *2/*2");
        Assert.Contains(resources, r => (string?)r["resourceType"] == "Task");
        Assert.Equal(3, resources.Count(r => r["meta"]?["profile"]?[0]?.GetValue<string>().EndsWith("/variant", StringComparison.Ordinal) == true));
        AssertValid("pharmcat positions *2/*2", units.SelectMany(u => u.Bundles));
    }

    /// <summary>
    /// CYP2C19 *2/*2 reported by the lab in INFO PGX_DIPLOTYPE over a positions file whose genotypes give *38/*38: the
    /// lab's Genotype, its clopidogrel TherapeuticImplication and Task, and the report with the disagreement note validate.
    /// </summary>
    [Fact]
    public async Task BuildUnit_LabDiplotypeInInfo_GenotypeAndImplicationsValidate()
    {
        var text = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "knowledge", "pharmcat_positions.vcf"), TestContext.Current.CancellationToken);
        var lines = text.Split('\n').ToList();
        var first = lines.FindIndex(l => l.Length > 0 && !l.StartsWith('#'));
        var fields = lines[first].Split('\t');
        fields[7] += ";PGX_DIPLOTYPE=CYP2C19:*2/*2";
        lines[first] = string.Join('\t', fields);
        lines.Insert(1, "##INFO=<ID=PGX_DIPLOTYPE,Number=.,Type=String,Description=\"Diplotypes called by the lab\">");
        var units = await VcfPipeline.RunAsync("pgx/lab-diplotype.vcf", System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines)), TestContext.Current.CancellationToken);

        var resources = units.SelectMany(u => u.Bundles).SelectMany(b => b["entry"]!.AsArray()).Select(e => e!["resource"]!).ToList();
        Assert.Contains(resources, r => (string?)r["valueCodeableConcept"]?["text"] == "CYP2C19 *2/*2");
        Assert.DoesNotContain(resources, r => (string?)r["valueCodeableConcept"]?["text"] == "CYP2C19 *38/*38");
        Assert.Contains(resources, r => (string?)r["resourceType"] == "Task");
        AssertValid("pharmcat positions, lab *2/*2", units.SelectMany(u => u.Bundles));
    }

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public async Task BuildUnit_VcfFile_EveryReferenceResolvesInItsBundle(string file)
    {
        var units = await VcfPipeline.RunAsync(file, TestContext.Current.CancellationToken);
        foreach (var bundle in units.SelectMany(u => u.Bundles))
        {
            var report = BundleValidation.CheckReferences(bundle.ToJsonString());
            Assert.Empty(report.BundleErrors);
            Assert.True(report.UnresolvedReferences.Count == 0,
                $"{file}: unresolved references:{Environment.NewLine}{string.Join(Environment.NewLine, report.UnresolvedReferences)}");
        }
    }

    [Theory]
    [MemberData(nameof(SitesOnlyFiles))]
    public async Task Plan_SitesOnlyFile_IsRejectedWithAPositionedReason(string file)
    {
        var rejected = await Assert.ThrowsAsync<LabFileRejectedException>(
            () => VcfPipeline.RunAsync(file, TestContext.Current.CancellationToken));
        Assert.Contains("no sample columns", rejected.Problem.Reason, StringComparison.Ordinal);
        Assert.NotNull(rejected.Problem.Position.Line);
    }

    private static void AssertValid(string file, IEnumerable<JsonObject> bundles)
    {
        var errors = new List<string>();
        var resources = 0;
        foreach (var resource in bundles.SelectMany(b => b["entry"]!.AsArray().Select(e => e!["resource"]!.AsObject())))
        {
            resources++;
            var key = $"{(string?)resource["resourceType"]}/{(string?)resource["id"]}";
            errors.AddRange(FhirProfileValidator.Shared.Validate(resource.ToJsonString()).Errors.Select(e => $"{key}: {e}"));
        }

        Assert.True(errors.Count == 0, $"{file}: {errors.Count} validation error(s):{Environment.NewLine}{string.Join(Environment.NewLine, errors.Take(30))}");
        Assert.True(resources > 0, $"{file}: no resources");
    }
}
