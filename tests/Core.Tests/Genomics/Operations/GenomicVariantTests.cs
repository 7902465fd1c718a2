using PrecisionMed.Core.Genomics.Index;
using PrecisionMed.Core.Genomics.Operations;

namespace PrecisionMed.Core.Tests.Genomics.Operations;

[Trait("Tier", "Fast")]
public sealed class GenomicVariantTests
{
    private static GenomicVariant Parse(string text)
    {
        Assert.True(GenomicVariant.TryParse(text, out var variant, out var reason), reason);
        return variant;
    }

    private static IndexedVariant Indexed(string accession, long start, string reference, string alternate, params string[] hgvs) =>
        new("Observation/v", accession, start, start + reference.Length, reference, alternate, null, hgvs, []);

    [Theory]
    [InlineData("NC_000001.10:11796321:G:A", 11796321, 11796322, "G", "A")]
    [InlineData("NC_000001.10:100::T", 100, 100, "", "T")]
    [InlineData("NC_000001.10:100:AC:", 100, 102, "AC", "")]
    [InlineData("NC_000001.10:100:CAT:CGT", 101, 102, "A", "G")]
    [InlineData("NC_000005.9:g.112102032A>T", 112102031, 112102032, "A", "T")]
    [InlineData("NC_000005.9:g.100_102delACG", 99, 102, "ACG", "")]
    [InlineData("NC_000005.9:g.100_101insTT", 100, 100, "", "TT")]
    [InlineData("NC_000005.9:g.100_101dupAC", 101, 101, "", "AC")]
    public void TryParse_SpdiOrGenomicHgvs_NormalisedSpdi(string text, long start, long end, string reference, string alternate)
    {
        var variant = Parse(text);

        Assert.True(variant.IsGenomic);
        Assert.Equal((start, end, reference, alternate), (variant.Start, variant.End, variant.Ref, variant.Alt));
    }

    [Fact]
    public void TryParse_NumericDeletionLength_RefUnknownEndKnown()
    {
        var variant = Parse("NC_000001.10:100:3:");

        Assert.Equal((100L, 103L, (string?)null, ""), (variant.Start, variant.End, variant.Ref, variant.Alt));
    }

    [Fact]
    public void Matches_HgvsAndSpdiOfOneChange_BothMatchTheIndexedVariant()
    {
        var indexed = Indexed("NC_000017.11", 39723965, "ATTGAGGGAAAACACAT", "T");

        Assert.True(Parse("NC_000017.11:g.39723966_39723981del").Matches(indexed));
        Assert.True(Parse("NC_000017.11:39723965:ATTGAGGGAAAACACA:").Matches(indexed));
        Assert.True(Parse("NC_000017.11:39723965:16:").Matches(indexed));
        Assert.False(Parse("NC_000017.11:39723965:15:").Matches(indexed));
    }

    [Fact]
    public void Matches_OtherBuildOfTheChromosome_NoMatch()
    {
        Assert.True(Parse("NC_000001.10:g.12225351T>A").Matches(Indexed("NC_000001.10", 12225350, "T", "A")));
        Assert.False(Parse("NC_000001.10:g.12225351T>A").Matches(Indexed("NC_000001.11", 12225350, "T", "A")));
    }

    [Theory]
    [InlineData("NM_000038.6:c.55G>T", true)]
    [InlineData("nm_000038.6:c.55G>T", true)]
    [InlineData("NM_000038:c.55G>T", true)]
    [InlineData("NM_000038.5:c.55G>T", false)]
    [InlineData("NM_000038.6:c.55G>A", false)]
    public void Matches_TranscriptHgvs_ComparedAsTextAccessionCaseAndVersionTolerant(string asked, bool expected)
    {
        var variant = Parse(asked);

        Assert.False(variant.IsGenomic);
        Assert.Equal(expected, variant.Matches(Indexed("NC_000005.9", 112090641, "G", "T", "NM_000038.6:c.55G>T")));
    }

    [Theory]
    [InlineData("rs12345")]
    [InlineData("NC_000001.10:abc:G:A")]
    [InlineData("NC_000005.9:g.100_102delAC")]
    [InlineData("NC_000005.9:g.102_100del")]
    [InlineData("NC_000005.9:g.100dup")]
    [InlineData("NC_000005.9:g.(100_200)_(300_400)del")]
    public void TryParse_Malformed_Reason(string text)
    {
        Assert.False(GenomicVariant.TryParse(text, out _, out var reason));
        Assert.NotEmpty(reason);
    }
}
