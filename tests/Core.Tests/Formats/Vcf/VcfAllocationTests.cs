using System.Text;
using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Testing.Vcf;

namespace PrecisionMed.Core.Tests.Formats.Vcf;

/// <summary>
/// Flat memory: records the policy skips cost no allocation, so a genome-sized file with a region filter streams in
/// bounded memory (the 2,000,000-record figure is in bench/, measured with pmed ingest).
/// </summary>
[Trait("Tier", "Fast")]
public sealed class VcfAllocationTests
{
    private const int Records = 100_000;

    [Fact]
    public async Task Map_RecordsOutsideTheRegions_AllocateNothingPerRecord()
    {
        var bed = Path.GetTempFileName();
        await File.WriteAllTextAsync(bed, "chr9\t0\t10\n", TestContext.Current.CancellationToken);
        try
        {
            var vcf = Generate(Records);
            var mapper = new VcfReportMapper(new VcfOptions { RegionsBed = bed }, new NoVariantKnowledge());
            var provenance = new ReportProvenance("lab", "incoming/lab/x.vcf", "hash", "x.vcf", 0, 1, DateTimeOffset.UnixEpoch, "test")
            {
                Manifest = TestVcfManifests.For("x.vcf", vcf),
            };

            // This thread's count: tests run in parallel. Over a MemoryStream every await completes synchronously, on this thread.
            var before = GC.GetAllocatedBytesForCurrentThread();
            var reader = await VcfReader.OpenAsync(new MemoryStream(vcf), TestContext.Current.CancellationToken);
            var report = await mapper.MapAsync(reader, provenance, TestContext.Current.CancellationToken);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(Records, report.RecordCounts[VcfRecordOutcome.OutsideRegions]);
            Assert.True(allocated / Records < 16, $"{allocated / Records} bytes allocated per record");
        }
        finally
        {
            File.Delete(bed);
        }
    }

    private static byte[] Generate(int records)
    {
        var text = new StringBuilder("##fileformat=VCFv4.2\n##reference=GRCh38\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n");
        for (var i = 1; i <= records; i++)
        {
            text.Append("chr1\t").Append(i * 10).Append("\trs").Append(i)
                .Append("\tA\tG\t50.5\tPASS\tAC=1;AF=0.500;AN=2;DP=35;ExcessHet=3.0103;FS=2.345;MQ=60.00;QD=12.34;SOR=0.693\tGT:AD:DP:GQ\t0/1:17,18:35:99\n");
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }
}
