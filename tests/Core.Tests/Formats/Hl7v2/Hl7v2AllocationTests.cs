using System.Buffers;
using PrecisionMed.Core.Fhir.Genomics;
using PrecisionMed.Core.Formats.Hl7v2;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Tests.Formats.Hl7v2;

/// <summary>
/// Guards what one message costs on the HL7 v2 pipeline benchmark path (split + parse + map + build + write the bundles as
/// UTF-8 JSON), as bytes allocated per byte of message. The limits are today's measured ratios plus about 15%, so a
/// change that brings back the churn fails here rather than only in bench/. The target is under 20×; where the figures
/// stand and why is given per stage by bench/ hl7-alloc.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class Hl7v2AllocationTests
{
    [Theory]
    // Measured 14.9× (31.3× with JsonObject trees, 49.6× before the bundle was written with Utf8JsonWriter).
    [InlineData("bench/genomic_5variants_pgx.hl7", 17)]
    // Measured 6.7× (26.7× with JsonObject trees).
    [InlineData("hl7v2/general-lab/msft_LRI_2.0-NG_CBC_Typ_Message.hl7", 8)]
    // Measured 3.6× (11.5×).
    [InlineData("hl7v2/general-lab/msft_ORU-R01-01.hl7", 5)]
    // Tiny messages with a large bundle (8× and 12.5KB of JSON for 1.5KB): measured 17.6× and 16.7× (74.5× and 84.4×);
    // their limit is the target itself. Every report now also carries its original's DocumentReference, a fixed cost of
    // about 1.8 KB that weighs most on the 502-byte RMGEAD message: measured 20.4× since, so its limit is 24×.
    [InlineData("hl7v2/general-lab/msft_LAB-ORU-1.hl7", 20)]
    [InlineData("hl7v2/general-lab/msft_ORU-R01-RMGEAD.hl7", 24)]
    public void ParseMapBuildWrite_AllocatesWithinItsRatioOfTheMessage(string file, int maxRatio)
    {
        var content = TestFiles.Read(file);
        var provenance = new ReportProvenance("bench-lab", "incoming/bench-lab/x.hl7", "00", "x.hl7", 0, 1, DateTimeOffset.UnixEpoch, "test");
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);

        // The first run pays for one-time work (static tables, shared codes); the second is what every message costs.
        Run(content, provenance, buffer);

        // This thread's count: tests run in parallel.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var written = Run(content, provenance, buffer);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(written > 0);
        var ratio = (double)allocated / content.Length;
        Assert.True(ratio < maxRatio, $"{allocated} bytes allocated for a {content.Length}-byte message: {ratio:F1}× (limit {maxRatio}×)");
    }

    private static long Run(byte[] content, ReportProvenance provenance, ArrayBufferWriter<byte> buffer)
    {
        var message = Hl7v2Parser.ParseOruR01(Hl7v2MessageSplitter.Split(content).Messages[0]);
        using var transaction = GenomicReportBuilder.Build(Hl7v2ReportMapper.Map(message, provenance.LabId), provenance);
        long written = 0;
        for (var bundle = 0; bundle < transaction.BundleCount; bundle++)
        {
            buffer.ResetWrittenCount();
            transaction.WriteBundle(bundle, buffer);
            written += buffer.WrittenCount;
        }

        return written;
    }
}
