using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Testing.Validation;
using PrecisionMed.Validation.Tests.Hl7v2;
using PrecisionMed.Validation.Tests.Vcf;
using Xunit;

namespace PrecisionMed.Validation.Tests.Knowledge;

/// <summary>
/// Pharmacogenomics end to end on the embedded default (the complete PharmCAT/CPIC/DPWG set): a VCF whose genotypes call
/// several genes, and an HL7 v2 report stating a CYP2D6 diplotype called outside PharmCAT, each through the intake path
/// production takes. They give the diplotypes, CPIC phenotypes, one implication per recommendation reached and the
/// MedicationRecommendation Tasks, and every resource validates against the Genomics Reporting IG.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class PgxEndToEndTests
{
    private const string Clopidogrel = "32968";
    private const string Codeine = "2670";
    private const string Warfarin = "11289";

    /// <summary>CYP2C19 *2/*2 (its three defining positions homozygous), CYP2C9 *1/*3 (rs1057910 het), VKORC1 rs9923231 T/T; every other position reference.</summary>
    private static readonly (long, string)[] SeveralGenes =
        [(94775367, "1/1"), (94781859, "1/1"), (94842866, "1/1"), (94981296, "0/1"), (31096368, "1/1")];

    [Fact]
    public async Task Vcf_SeveralGenes_DiplotypesPhenotypesImplicationsAndTasks_AllValid()
    {
        var resources = Resources(await VcfPipeline.RunAsync("pgx-several.vcf", PositionsFile(SeveralGenes), TestContext.Current.CancellationToken));

        var genotypes = resources.Where(r => Profile(r) == "genotype").Select(Text).ToList();
        Assert.Contains("CYP2C19 *2/*2", genotypes);
        Assert.Contains("CYP2C9 *1/*3", genotypes);
        Assert.Contains(genotypes, g => g.StartsWith("VKORC1 rs9923231 variant (T)/rs9923231 variant (T)", StringComparison.Ordinal));
        Assert.Contains("TPMT *1/*1", genotypes);
        Assert.True(genotypes.Count >= 15, $"{genotypes.Count} genes called: {string.Join(", ", genotypes)}");

        var implications = resources.Where(r => Profile(r) == "therapeutic-implication").ToList();
        var clopidogrel = implications.Where(i => Mentions(i, Clopidogrel)).ToList();
        Assert.NotEmpty(clopidogrel);
        Assert.Contains("LA9657-3", clopidogrel[0].ToJsonString(), StringComparison.Ordinal); // poor metabolizer
        Assert.Contains(resources, r => (string?)r["resourceType"] == "Task" && (string?)r["reasonReference"]?["reference"] == Key(clopidogrel[0]));
        Assert.Contains(implications, i => Mentions(i, Warfarin));
        AssertAllValid(resources);
    }

    [Fact]
    public async Task Hl7v2_OutsideCyp2d6Call_PoorMetabolizer_CodeineImplicationAndTask_AllValid()
    {
        var resources = Resources(await Hl7v2Pipeline.RunAsync(Cyp2d6Message("*4/*4"), "cyp2d6.hl7", TestContext.Current.CancellationToken));

        Assert.Equal("CYP2D6 *4/*4", Text(Assert.Single(resources, r => Profile(r) == "genotype")));
        var codeine = resources.Where(r => Profile(r) == "therapeutic-implication" && Mentions(r, Codeine)).ToList();
        Assert.NotEmpty(codeine);
        Assert.Contains("LA9657-3", codeine[0].ToJsonString(), StringComparison.Ordinal);
        Assert.Contains(resources, r => (string?)r["resourceType"] == "Task" && (string?)r["reasonReference"]?["reference"] == Key(codeine[0]));
        AssertAllValid(resources);
    }

    [Fact]
    public async Task Hl7v2_OutsideCallWithAnAlleleNobodyDefines_NamedAndNoImplication()
    {
        var units = await Hl7v2Pipeline.RunAsync(Cyp2d6Message("*4/*999"), "cyp2d6-unknown.hl7", TestContext.Current.CancellationToken);

        var resources = Resources(units);
        Assert.DoesNotContain(resources, r => Profile(r) == "therapeutic-implication");
        Assert.Contains(units.SelectMany(u => u.Skipped), p => p.Reason.Contains("*999 is not an allele of CYP2D6", StringComparison.Ordinal));
        AssertAllValid(resources);
    }

    /// <summary>The IG's pgxexample as HL7 v2 (<c>authored/pgx_cyp2c9_from_pgxexample.hl7</c>), cut to its patient, order, one CYP2D6 gene and genotype.</summary>
    private static byte[] Cyp2d6Message(string diplotype)
    {
        var segments = File.ReadAllText(Path.Combine(Hl7v2Pipeline.Root, "authored", "pgx_cyp2c9_from_pgxexample.hl7")).Split('\r');
        var kept = segments.Where(s => !s.StartsWith("OBX", StringComparison.Ordinal) && s.Length > 0).ToList();
        kept.Insert(kept.FindIndex(s => s.StartsWith("SPM", StringComparison.Ordinal)), string.Join('\r',
            "OBX|1|CWE|48018-6^Gene studied [ID]^LN|4a|HGNC:2625^CYP2D6^HGNC||||||F|||2018",
            $"OBX|2|ST|84413-4^Genotype display name^LN|4a|CYP2D6 {diplotype}||||||F|||2018"));
        return Encoding.UTF8.GetBytes(string.Join('\r', kept) + "\r");
    }

    private static byte[] PositionsFile(params (long Position, string Gt)[] genotypes)
    {
        var set = genotypes.ToDictionary(g => g.Position.ToString(CultureInfo.InvariantCulture), g => g.Gt);
        var text = new StringBuilder();
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", "knowledge", "pharmcat_positions.vcf")))
        {
            var fields = line.Split('\t');
            if (!line.StartsWith('#') && set.TryGetValue(fields[1], out var gt)) fields[^1] = gt;
            text.Append(string.Join('\t', fields)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static void AssertAllValid(List<JsonObject> resources)
    {
        var errors = resources.SelectMany(r => FhirProfileValidator.Shared.Validate(r.ToJsonString()).Errors.Select(e => $"{Key(r)}: {e}")).ToList();
        Assert.True(errors.Count == 0, string.Join('\n', errors.Take(20)));
    }

    private static bool Mentions(JsonObject implication, string rxnorm) =>
        implication.ToJsonString().Contains($"\"code\":\"{rxnorm}\"", StringComparison.Ordinal);

    private static string Text(JsonObject genotype) =>
        (string?)genotype["valueCodeableConcept"]?["text"] ?? (string?)genotype["valueCodeableConcept"]?["coding"]?[0]?["display"] ?? string.Empty;

    private static List<JsonObject> Resources(IEnumerable<ReportTransaction> units) =>
        [.. units.SelectMany(u => u.Bundles).SelectMany(b => b["entry"]!.AsArray()).Select(e => e!["resource"]!.AsObject()).DistinctBy(Key)];

    private static string Key(JsonObject resource) => $"{resource["resourceType"]}/{resource["id"]}";

    private static string Profile(JsonObject resource) => ((string?)resource["meta"]?["profile"]?[0])?.Split('/')[^1] ?? string.Empty;
}
