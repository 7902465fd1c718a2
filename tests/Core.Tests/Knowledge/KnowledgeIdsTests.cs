using PrecisionMed.Core.Knowledge;

namespace PrecisionMed.Core.Tests.Knowledge;

[Trait("Tier", "Fast")]
public sealed class KnowledgeIdsTests
{
    [Theory]
    [InlineData("NM_007294.3:c.5266dupC", "NM_007294:c.5266dup")]
    [InlineData("NM_007294.4:c.5266dup", "NM_007294:c.5266dup")]
    [InlineData("NM_014049.4:c.1249C>T", "NM_014049:c.1249C>T")]
    [InlineData("NC_000003.11:g.128625063C>T", "NC_000003:g.128625063C>T")]
    [InlineData("NM_000077.4:c.9_32del", "NM_000077:c.9_32del")]
    [InlineData("NM_000077.4:c.9_32delinsAT", "NM_000077:c.9_32delinsAT")]
    public void NormaliseHgvs_LabAndClinVarSpellings_MeetOnOneKey(string hgvs, string expected) =>
        Assert.Equal(expected, KnowledgeIds.NormaliseHgvs(hgvs));

    [Fact]
    public void Diplotype_EitherAlleleOrder_SameId() =>
        Assert.Equal(KnowledgeIds.Diplotype("CYP2C19", "*2/*1"), KnowledgeIds.Diplotype("cyp2c19", "*1/*2"));

    [Theory]
    [InlineData("1", "1.0")]
    [InlineData("1.00", "1.0")]
    [InlineData(" 0.5 ", "0.5")]
    [InlineData("1.25", "1.25")]
    [InlineData("≥3.0", "≥3.0")]
    public void NormaliseActivityScore_Spellings_OneSpelling(string spelling, string canonical) =>
        Assert.Equal(canonical, KnowledgeIds.NormaliseActivityScore(spelling));

    [Theory]
    [InlineData(null)]
    [InlineData("n/a")]
    [InlineData("")]
    public void NormaliseActivityScore_NoScore_Null(string? score) => Assert.Null(KnowledgeIds.NormaliseActivityScore(score));

    [Fact]
    public void GuidelineSet_GenesInAnyOrderAndCase_SameId() =>
        Assert.Equal(KnowledgeIds.GuidelineSet(["CYP2D6", "cyp2c19"]), KnowledgeIds.GuidelineSet(["CYP2C19", "CYP2D6"]));

    [Fact]
    public void Variant_ChrPrefixAndBuildSpellings_SameId() =>
        Assert.Equal(
            KnowledgeIds.Variant(new VariantLocation("hg38", "chr3", 128906220, "c", "t")),
            KnowledgeIds.Variant(new VariantLocation("GRCh38", "3", 128906220, "C", "T")));

    [Fact]
    public void Hgvs_CharactersCosmosForbids_AreEscapedAndLongKeysHashed()
    {
        var id = KnowledgeIds.Hgvs("NM_1:c.1A>G/2#?");
        Assert.DoesNotContain('/', id);
        Assert.DoesNotContain('#', id);
        Assert.DoesNotContain('?', id);
        var longId = KnowledgeIds.Hgvs("NM_1:c.1_400delins" + new string('A', 400));
        Assert.True(longId.Length <= 250);
        Assert.NotEqual(longId, KnowledgeIds.Hgvs("NM_1:c.1_400delins" + new string('A', 399) + "C"));
    }
}
