using PrecisionMed.Core.Formats.Hl7v2;
using static PrecisionMed.Core.Tests.Formats.Hl7v2.Hl7v2TestMessages;

namespace PrecisionMed.Core.Tests.Formats.Hl7v2;

/// <summary>
/// Sub-ID "1" (and "1a", "1b"...) is the overall study's by convention, but labs that number their groups 1, 2, 3 put a
/// finding there. A "1" group holding a finding's defining items (a genotype, a therapeutic answer, a variant's change,
/// a haplotype) is that finding; one holding only study-level items stays the overall study.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class Hl7v2NumericSubIdGroupTests
{
    private static string Message(params string[] obx) => string.Join('\r',
        [Header, "PID|1||MRN-1^^^HOSP^MR||TESTPATIENT^NU||19800101|F", "OBR|1|PL-1|FL-1|81247-9^Genetic panel^LN",
            .. obx.Select((row, i) => $"OBX|{i + 1}|{row}||||||F")]) + "\r";

    private static PrecisionMed.Core.LabReports.LabReport Map(string text) => Hl7v2ReportMapper.Map(Parse(text), "lab-a", out _);

    [Fact]
    public void Map_GenotypeUnderSubIdOne_IsAGenotypeWithItsGeneAndPhenotype()
    {
        var report = Map(Message(
            "CWE|48018-6^Gene studied^LN|1|HGNC:2621^CYP2C19^HGNC",
            "ST|84413-4^Genotype display name^LN|1|CYP2C19 *2/*2",
            "CWE|53040-2^Genetic variation's effect on drug metabolism^LN|1|LA9657-3^Poor metabolizer^LN",
            "CWE|48018-6^Gene studied^LN|2|HGNC:2623^CYP2C9^HGNC",
            "ST|84413-4^Genotype display name^LN|2|CYP2C9 *1/*3"));

        Assert.Equal(["CYP2C19 *2/*2", "CYP2C9 *1/*3"], report.Genotypes.Select(g => g.Value.Text));
        Assert.Equal("CYP2C19", Assert.Single(report.Genotypes[0].Genes).Codings[0].Display);
        Assert.Contains(report.TherapeuticImplications, t => t.DerivedFromKeys.Contains(report.Genotypes[0].Key));
        Assert.Empty(report.LabResults);
    }

    [Fact]
    public void Map_VariantUnderSubIdOne_IsAVariant()
    {
        var report = Map(Message(
            "CWE|48018-6^Gene studied^LN|1|HGNC:1100^BRCA1^HGNC",
            "CWE|48004-6^DNA change (c.HGVS)^LN|1|NM_007294.3:c.5266dupC^^HGVS",
            "CWE|53034-5^Allelic state^LN|1|LA6706-1^Heterozygous^LN"));

        Assert.Equal(["1"], report.Variants.Select(v => v.Key));
        Assert.Empty(report.LabResults);
    }

    [Fact]
    public void Map_StudyItemsUnderSubIdOne_StayTheOverallStudy()
    {
        var report = Map(Message(
            "CWE|62374-4^Human reference sequence assembly version^LN|1|LA26806-2^GRCh38^LN",
            "CWE|48018-6^Gene studied^LN|1|HGNC:1100^BRCA1^HGNC",
            "CWE|51968-6^Genetic disease analysis overall interpretation^LN|1|LA6577-6^Negative^LN"));

        Assert.Empty(report.Variants);
        Assert.Empty(report.Genotypes);
        Assert.Equal("BRCA1", Assert.Single(report.GenesStudied).Codings[0].Display);
        Assert.Contains("LA6577-6", report.ConclusionCode!.Codings.Select(c => c.Code));
    }

    /// <summary>
    /// No sub-IDs at all (PharmCAT's reporter leaves OBX-4 empty): each gene's rows are their own genotype, told apart by
    /// position. Before, both genes' rows were one group: one genotype named for both genes and one implication holding
    /// both phenotypes, CYP2C9's normal metaboliser beside CYP2C19's poor one.
    /// </summary>
    [Fact]
    public void Map_GenotypesWithoutSubIds_OneGenotypeAndImplicationPerGene()
    {
        var report = Map(Message(
            "CWE|48018-6^Gene studied^LN||HGNC:2621^CYP2C19^HGNC",
            "ST|84413-4^Genotype display name^LN||CYP2C19 *2/*2",
            "CWE|53040-2^Genetic variation's effect on drug metabolism^LN||LA9657-3^Poor metabolizer^LN",
            "CWE|48018-6^Gene studied^LN||HGNC:2623^CYP2C9^HGNC",
            "CWE|48018-6^Gene studied^LN||HGNC:23663^VKORC1^HGNC",
            "ST|84413-4^Genotype display name^LN||CYP2C9 *1/*3",
            "CWE|53040-2^Genetic variation's effect on drug metabolism^LN||LA25391-6^Normal metabolizer^LN",
            "CWE|51963-7^Medication assessed^LN||11289^Warfarin^RXNORM",
            "CWE|82116-5^Medication usage suggestion^LN||LA26423-6^Increase dose^LN"));

        Assert.Equal(["CYP2C19 *2/*2", "CYP2C9 *1/*3"], report.Genotypes.Select(g => g.Value.Text));
        Assert.Equal(["CYP2C19"], report.Genotypes[0].Genes.Select(g => g.Codings[0].Display));
        Assert.Equal(["CYP2C9", "VKORC1"], report.Genotypes[1].Genes.Select(g => g.Codings[0].Display));
        var poor = Assert.Single(report.TherapeuticImplications, t => t.DerivedFromKeys.Contains(report.Genotypes[0].Key));
        Assert.Equal(["Poor metabolizer"], poor.Implications.Select(i => i.Codings[0].Display));
        Assert.All(report.TherapeuticImplications.Where(t => t.DerivedFromKeys.Contains(report.Genotypes[1].Key)),
            t => Assert.DoesNotContain(t.Implications, i => i.Codings[0].Display == "Poor metabolizer"));
        Assert.Contains(report.TherapeuticImplications, t => t.Medication?.Codings[0].Code == "11289" && t.DerivedFromKeys.Contains(report.Genotypes[1].Key));
        Assert.Empty(report.LabResults);
    }
}
