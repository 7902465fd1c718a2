using PrecisionMed.Core.Genomics.Index;
using PrecisionMed.Core.Genomics.Operations;

namespace PrecisionMed.Core.Tests.Genomics.Operations;

[Trait("Tier", "Fast")]
public sealed class ValueFormTests
{
    private static IndexedVariant Structural(string accession, long start, long end) =>
        new("Observation/sv", accession, null, null, null, null, null, [], [], OuterStart: start, OuterEnd: end, StructuralType: "SO:0001019");

    [Fact]
    public void GenomicRange_IntersectsAndSubsumes_HalfOpenSameAccession()
    {
        Assert.True(GenomicRange.TryParse("NC_000019.9:11200138-11244496", out var range, out _));

        Assert.True(range.Intersects(Structural("NC_000019.9", 11244495, 11300000)));
        Assert.False(range.Intersects(Structural("NC_000019.9", 11244496, 11300000)));
        Assert.False(range.Intersects(Structural("NC_000019.10", 11200138, 11244496)));
        Assert.True(range.IsSubsumedBy(Structural("NC_000019.9", 11200138, 11244496)));
        Assert.False(range.IsSubsumedBy(Structural("NC_000019.9", 11200139, 11300000)));
    }

    [Theory]
    [InlineData("NC_000019.9:11244496-11200138")]
    [InlineData("NC_000019.9:5-5")]
    [InlineData("NC_000019:1-5")]
    [InlineData("chr19:1-5")]
    public void GenomicRange_Malformed_Reason(string text)
    {
        Assert.False(GenomicRange.TryParse(text, out _, out var reason));
        Assert.NotEmpty(reason);
    }

    [Theory]
    [InlineData("HGNC:1100", true)]
    [InlineData("http://www.genenames.org|HGNC:1100", true)]
    [InlineData("brca1", true)]
    [InlineData("HGNC:1101", false)]
    public void GeneQuery_IdOrSymbol_Matches(string text, bool expected)
    {
        Assert.True(GeneQuery.TryParse(text, out var gene, out _));

        Assert.Equal(expected, gene.Matches([new IndexedGene("HGNC:1100", "BRCA1")]));
    }

    [Theory]
    [InlineData("CYP2C19 *1/*17", "CYP2C19", true)]
    [InlineData("CYP2C19 *17/*1", "CYP2C19", true)]
    [InlineData("http://www.pharmvar.org|CYP2C19_*1/*17", "CYP2C19", true)]
    [InlineData("CYP2C19 *17", "CYP2C19", true)]
    [InlineData("CYP2C19", "CYP2C19", true)]
    [InlineData("CYP2C19 *2", "CYP2C19", false)]
    [InlineData("CYP2D6", "CYP2D6", false)]
    public void HaplotypeQuery_PgxForms_MatchTheGenotype(string text, string gene, bool expected)
    {
        Assert.True(HaplotypeQuery.TryParse(text, out var query, out _));

        Assert.Equal(gene, query.Gene);
        Assert.Equal(expected, query.Matches(new IndexedHaplotype("Observation/g", "genotype", [new IndexedGene("HGNC:2621", "CYP2C19")], "CYP2C19 *1/*17", [])));
    }

    [Theory]
    [InlineData("HLA-B*27", true)]
    [InlineData("B*27", true)]
    [InlineData("HLA-B*27:05", true)]
    [InlineData("HLA-B*27:0", false)]
    [InlineData("HLA-B*2", false)]
    public void HaplotypeQuery_HlaFields_NarrowTheName(string text, bool expected)
    {
        Assert.True(HaplotypeQuery.TryParse(text, out var query, out _));

        Assert.Equal("HLA-B", query.Gene);
        Assert.Equal(expected, query.Matches(new IndexedHaplotype("Observation/h", "genotype", [new IndexedGene("HGNC:4932", "HLA-B")], "HLA-B*27:05:02+HLA-B*08:01", [])));
    }

    [Theory]
    [InlineData("http://snomed.info/sct|405501007", true)]
    [InlineData("405501007", true)]
    [InlineData("http://loinc.org|405501007", false)]
    public void CodeQuery_SystemOptional(string text, bool expected)
    {
        Assert.True(CodeQuery.TryParse(text, out var code, out _));

        Assert.Equal(expected, code.Matches("http://snomed.info/sct|405501007"));
    }

    [Theory]
    [InlineData("2020-07-13", true)]
    [InlineData("2020-07-13T10:00:00Z", true)]
    [InlineData("2019-12-31", false)]
    [InlineData("2021-01-01", false)]
    [InlineData(null, false)]
    public void DateRange_Prefixes_InclusiveAtTheirPrecision(string? testDate, bool expected)
    {
        Assert.True(DateRange.TryAddPrefixed(null, "ge2020", out var range, out _));
        Assert.True(DateRange.TryAddPrefixed(range, "le2020-12", out range, out _));

        Assert.Equal(expected, range.Contains(testDate));
    }

    [Fact]
    public void DateRange_StrictPrefixes_ExcludeTheBound()
    {
        Assert.True(DateRange.TryAddPrefixed(null, "gt2020-07-13", out var range, out _));

        Assert.False(range.Contains("2020-07-13"));
        Assert.True(range.Contains("2020-07-14"));
        Assert.False(DateRange.TryAddPrefixed(null, "ge2020-13-45x", out _, out _));
    }
}
