using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Tests.Formats.Vcf;

/// <summary>The regions a BED file gives (option Vcf:RegionsBed, <c>pmed ingest --regions</c>), and the files that give none.</summary>
[Trait("Tier", "Fast")]
public sealed class BedRegionsTests
{
    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("#chrom\tstart\tend\n# a panel with its regions left out\n")]
    [InlineData("browser position chr1:1-1000\ntrack name=panel description=\"no regions\"\n")]
    public void Parse_NoRegionInTheFile_RejectedNamingTheFile(string bed)
    {
        var ex = Assert.Throws<LabFileRejectedException>(() => BedRegions.Parse(new StringReader(bed), "panel.bed"));

        Assert.Equal("panel.bed", ex.Problem.Position.Path);
        Assert.Null(ex.Problem.Position.Line);
        Assert.StartsWith("holds no regions", ex.Problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HeaderTrackAndOneRegion_ThatRegion()
    {
        var regions = BedRegions.Parse(new StringReader("#chrom\tstart\tend\ntrack name=panel\nchr1\t99\t200\n"), "panel.bed");

        Assert.Equal(["chr1:100-200"], regions.Described);
        Assert.True(regions.Overlaps("1", 150, 150));
        Assert.False(regions.Overlaps("chr1", 99, 99));
    }

    [Fact]
    public void Parse_ALineThatIsNoRegion_RejectedAtItsLine()
    {
        var ex = Assert.Throws<LabFileRejectedException>(() => BedRegions.Parse(new StringReader("chr1\t99\t200\nchr1 99 200\n"), "panel.bed"));

        Assert.Equal(2, ex.Problem.Position.Line);
    }
}
