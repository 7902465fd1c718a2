using System.Text;
using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Testing.Vcf;

namespace PrecisionMed.Core.Tests.Formats.Vcf;

/// <summary>
/// A sample's numeric FORMAT field (AD, DP, AF, VAF) that holds something else is left out of the Variant's facts and
/// listed among the report's skipped items with its line, sample column and field, never its value.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class VcfSampleNumbersTests
{
    private const string Header = "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=248956422>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\n";

    [Fact]
    public async Task Map_AdNotNumbers_VariantWithoutReadDepth_AdListedWithLineColumnAndField()
    {
        const string row = "chr1\t100\t.\tA\tG\t.\tPASS\t.\tGT:AD:DP\t0/1:ten,five:15\t0/1:10,5:15";

        var report = await MapAsync(row, sample: 0);

        var variant = Assert.Single(report.Variants);
        Assert.DoesNotContain(variant.Components, c => c.Code.Code == "82121-5"); // allelic read depth: not read
        var skipped = Assert.Single(report.Skipped);
        Assert.Equal(4, skipped.Position.Line);
        Assert.Equal(row.IndexOf("0/1:ten", StringComparison.Ordinal) + 1, skipped.Position.Column);
        Assert.Equal("FORMAT/AD", skipped.Position.Field);
        Assert.Equal("FORMAT field AD of sample 1 holds something other than numbers; it was ignored", skipped.Reason);
        Assert.DoesNotContain("ten", skipped.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_SecondSampleAdAndDpNotNumbers_ListedForThatSampleOnly()
    {
        const string row = "chr1\t100\t.\tA\tG\t.\tPASS\t.\tGT:AD:DP\t0/1:10,5:15\t0/1:10;5:x";

        var first = await MapAsync(row, sample: 0);
        var second = await MapAsync(row, sample: 1);

        Assert.Empty(first.Skipped);
        Assert.Equal(["FORMAT/AD", "FORMAT/DP"], second.Skipped.Select(s => s.Position.Field));
        Assert.All(second.Skipped, s => Assert.Equal(row.IndexOf("0/1:10;5", StringComparison.Ordinal) + 1, s.Position.Column));
        Assert.All(second.Skipped, s => Assert.Contains("of sample 2 ", s.Reason, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("GT:AD:DP\t0/1:10,5:15")]
    [InlineData("GT:AD:DP\t0/1:.:.")]
    [InlineData("GT:AD:DP\t0/1:10,.:15")]
    [InlineData("GT:AD:AF\t0/1:10,5:0.33")]
    [InlineData("GT:AD\t0/1")] // trailing fields dropped: missing
    public async Task Map_NumbersOrMissing_NothingListed(string formatAndSample)
    {
        var report = await MapAsync($"chr1\t100\t.\tA\tG\t.\tPASS\t.\t{formatAndSample}\t0/1", sample: 0);

        Assert.Single(report.Variants);
        Assert.Empty(report.Skipped);
    }

    [Fact]
    public async Task Map_RecordNotReported_ItsFieldsNotListed()
    {
        var report = await MapAsync("chr1\t100\t.\tA\tG\t.\tPASS\tGENE=TTN\tGT:AD\t0/1:ten,five\t0/1:1,1", sample: 0, new VcfOptions { Genes = ["BRCA1"] });

        Assert.Empty(report.Variants);
        Assert.Empty(report.Skipped);
    }

    private static async Task<LabReport> MapAsync(string row, int sample, VcfOptions? options = null)
    {
        const string name = "test.vcf";
        var reader = await VcfReader.OpenAsync(new MemoryStream(Encoding.UTF8.GetBytes(Header + row + "\n")), TestContext.Current.CancellationToken);
        var provenance = new ReportProvenance("lab", "incoming/lab/" + name, "hash", name, sample, 2, DateTimeOffset.UnixEpoch, "test")
        {
            Manifest = TestVcfManifests.ForColumns(name, reader.Header.Samples),
        };
        return await new VcfReportMapper(options ?? new VcfOptions(), new NoVariantKnowledge()).MapAsync(reader, provenance, TestContext.Current.CancellationToken);
    }
}
