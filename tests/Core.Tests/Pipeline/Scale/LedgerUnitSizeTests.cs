using System.Globalization;
using System.Text;
using System.Text.Json;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Core.Tests.Pipeline.Scale;

/// <summary>A unit's ledger record stays far below Cosmos DB's 2 MB item limit however many variants its report has.</summary>
[Trait("Tier", "Fast")]
public sealed class LedgerUnitSizeTests
{
    /// <summary>A sixteenth of Cosmos DB's 2 MB item limit: the record must stay well clear of it, not just under (listed whole, it was 510,806 bytes).</summary>
    public const int SizeBound = 128 * 1024;

    // As the Cosmos ledger serialises its records.
    private static readonly JsonSerializerOptions LedgerJson = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task TenThousandVariantVcf_CompletedUnitRecord_SerialisesFarBelowTheItemLimit()
    {
        using var harness = new PipelineHarness();
        var vcf = TenThousandVariantVcf();
        await harness.DropAsync(vcf, "2026/exome.vcf");

        Assert.Equal(WorkOutcome.Completed, await harness.Work.HandleAsync(harness.Queue.Messages[0], TestContext.Current.CancellationToken));

        var unit = await harness.UnitAsync(vcf);
        var size = JsonSerializer.SerializeToUtf8Bytes(unit, LedgerJson).Length;
        Assert.True(size < SizeBound, $"the unit record is {size} bytes");
        Assert.True(unit.ResourceCount > 10_000, $"{unit.ResourceCount} resources");
        Assert.Equal(LedgerUnit.MaxReferencesListed, unit.ResourceReferences.Count);
    }

    public static byte[] TenThousandVariantVcf()
    {
        var vcf = new StringBuilder("##fileformat=VCFv4.2\n##reference=GRCh38\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n");
        for (var i = 1; i <= 10_000; i++)
            vcf.Append(CultureInfo.InvariantCulture, $"chr{1 + (i % 22)}\t{100_000 + i * 97}\t.\tA\tG\t50\tPASS\tDP=30\tGT:AD:DP\t0/1:15,15:30\n");
        return Encoding.ASCII.GetBytes(vcf.ToString());
    }
}
