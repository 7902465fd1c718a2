using System.Text.Json;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Tests.Formats.Hl7v2;

/// <summary>
/// The authored messages that encode IG example bundles: the LabReport carries every gene, HGVS,
/// zygosity, source class, significance, genotype, haplotype, medication implication and phase of the example.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class Hl7v2AuthoredMessagesTests
{
    [Theory]
    [InlineData("pgx_cyp2c9_from_pgxexample")]
    [InlineData("germline_from_cgexample")]
    [InlineData("somatic_from_oncologyexamples")]
    [InlineData("somatic_braf_from_oncology_diagnostic")]
    [InlineData("compound_het_from_compound_heterozygote")]
    [InlineData("phase_cis_from_sequence_phase_relation")]
    public void Map_AuthoredMessage_CarriesTheExpectedMeaning(string name)
    {
        using var expected = JsonDocument.Parse(Hl7v2TestMessages.Corpus($"authored/{name}.expected.json"));
        var (_, report, _) = Hl7v2ReportMapperCorpusTests.MapAll($"authored/{name}.hl7").Single();
        var root = expected.RootElement;

        var components = report.Variants.SelectMany(v => v.Components).ToList();
        CheckAll(root, "genes", report.GenesStudied.Concat(report.Genotypes.SelectMany(g => g.Genes)).Concat(report.Haplotypes.Select(h => h.Gene))
            .Concat(ValuesOf(components, "48018-6")).OfType<CodedValue>());
        CheckAll(root, "hgvs", ValuesOf(components, "48004-6", "48005-3", "81290-9").Concat(report.Genotypes.Select(g => g.Value)));
        CheckAll(root, "zygosity", ValuesOf(components, "53034-5"));
        CheckAll(root, "sourceClass", ValuesOf(components, "48002-0"));
        CheckAll(root, "significance", report.DiagnosticImplications.Select(d => d.ClinicalSignificance).OfType<CodedValue>());
        CheckAll(root, "genotypes", report.Genotypes.Select(g => g.Value));
        CheckAll(root, "haplotypes", report.Haplotypes.Select(h => h.Value));
        CheckAll(root, "phase", report.PhaseRelationships.Select(p => new CodedValue([], p.Relationship)));

        if (root.TryGetProperty("medications", out var medications))
        {
            foreach (var medication in medications.EnumerateArray())
            {
                var code = medication.GetProperty("code").GetString();
                var implication = medication.GetProperty("implication").GetString();
                Assert.Contains(report.TherapeuticImplications, t =>
                    t.Medication is { } m && Terms(m).Contains(code)
                    && t.Implications.Any(i => Terms(i).Contains(implication))
                    && t.DerivedFromKeys.Count > 0);
            }
        }
    }

    [Fact]
    public void ExpectedFiles_AreAllTested()
    {
        Assert.Equal(6, Hl7v2ReportMapperCorpusTests.AuthoredFiles(".expected.json").Count());
    }

    [Fact]
    public void Map_CompoundHeterozygote_GenotypeIsDerivedFromBothMemberVariants()
    {
        var (_, report, _) = Hl7v2ReportMapperCorpusTests.MapAll("authored/compound_het_from_compound_heterozygote.hl7").Single();

        var genotype = Assert.Single(report.Genotypes);
        Assert.Equal(["5a.1", "5a.2"], genotype.DerivedFromKeys);
        Assert.Equal(2, report.Variants.Count);
    }

    [Fact]
    public void Map_PgxExample_GenotypeDerivesFromHaplotypesAndTherapyFromGenotype()
    {
        var (_, report, _) = Hl7v2ReportMapperCorpusTests.MapAll("authored/pgx_cyp2c9_from_pgxexample.hl7").Single();

        var genotype = Assert.Single(report.Genotypes);
        Assert.Equal(2, genotype.DerivedFromKeys.Count);
        Assert.All(report.Haplotypes, h => Assert.Single(h.DerivedFromKeys));
        var therapy = Assert.Single(report.TherapeuticImplications);
        Assert.Equal([genotype.Key], therapy.DerivedFromKeys);
        Assert.Equal("LA26423-6", therapy.Recommendation!.Codings[0].Code);
        Assert.NotNull(therapy.Conclusion);
        Assert.Contains(report.Variants.SelectMany(v => v.Components), c => c.Code.Code == "81252-9"
            && c.Value is CodedValue { Codings: [{ System: Coding.DbSnp }] });
    }

    [Fact]
    public void Map_CorrectedMessage_MarksTheReportCorrected()
    {
        var (_, report, _) = Hl7v2ReportMapperCorpusTests.MapAll("authored/corrected_germline.hl7").Single();

        Assert.Equal(ReportStatus.Corrected, report.Status);
        Assert.Contains(report.DiagnosticImplications, d => d.ClinicalSignificance!.Codings.Any(c => c.Code == "LA26332-9"));
    }

    [Fact]
    public void Map_StructuralCnv_IsAStructuralVariantWithCopyNumberAndRanges()
    {
        var (_, report, _) = Hl7v2ReportMapperCorpusTests.MapAll("authored/structural_cnv.hl7").Single();

        var variant = Assert.Single(report.Variants);
        Assert.True(variant.Structural);
        Assert.Contains(variant.Components, c => c.Code.Code == "82155-3");
        Assert.Contains(variant.Components, c => c.Code.Code == "81302-2" && c.Value is RangeValue);
        Assert.Contains(variant.Components, c => c.Code.Code == "81301-4" && c.Value is RangeValue);
    }

    [Fact]
    public void Map_Batch_MapsThreeReports()
    {
        var reports = Hl7v2ReportMapperCorpusTests.MapAll("authored/batch_three_messages.hl7").Select(r => r.Report).ToList();

        Assert.Equal(3, reports.Count);
        Assert.Equal(3, reports.Select(r => r.Accession).Distinct().Count());
        Assert.Contains(reports, r => r.Genotypes.Count == 1 && r.TherapeuticImplications.Count == 1);
    }

    private static IEnumerable<CodedValue> ValuesOf(IEnumerable<ReportComponent> components, params string[] codes) =>
        components.Where(c => codes.Contains(c.Code.Code)).Select(c => c.Value).OfType<CodedValue>();

    private static void CheckAll(JsonElement root, string property, IEnumerable<CodedValue> values)
    {
        if (!root.TryGetProperty(property, out var expected)) return;
        var terms = values.SelectMany(Terms).ToHashSet(StringComparer.Ordinal);
        foreach (var item in expected.EnumerateArray())
            Assert.True(terms.Contains(item.GetString()!), $"{property}: '{item.GetString()}' is not carried by the report");
    }

    private static HashSet<string?> Terms(CodedValue value) =>
        [.. value.Codings.SelectMany(c => new[] { c.Code, c.Display }), value.Text];
}
