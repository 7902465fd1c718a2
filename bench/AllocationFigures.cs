using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Fhir.Genomics;
using PrecisionMed.Core.Formats.Hl7v2;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Bench;

/// <summary>
/// Quick per-stage allocation and throughput figures for the HL7 v2 report path, without BenchmarkDotNet's
/// process-per-benchmark cost: `dotnet bench/bin/Release/net10.0/PrecisionMed.Bench.dll hl7-alloc [ITERATIONS]`.
/// Bytes are this thread's (GC.GetAllocatedBytesForCurrentThread) after warm-up; BenchmarkDotNet gives the final figures.
/// </summary>
internal static class AllocationFigures
{
    public static int Run(string[] args)
    {
        var iterations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000;
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        Console.WriteLine("message\tbytes\tbundle JSON\tparse\tmap\tbuild\tserialise\ttotal\tratio\tmsg/s");
        foreach (var name in Hl7v2PipelineBenchmarks.Messages())
        {
            var content = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "hl7v2", name));
            var provenance = new ReportProvenance("bench-lab", "incoming/bench-lab/" + name, "00", name, 0, 1, DateTimeOffset.UnixEpoch, "bench");
            for (var i = 0; i < 200; i++) Once(content, provenance, buffer, out _).Dispose();
            using var measured = Once(content, provenance, buffer, out var stages);
            var json = measured.Bundles.Sum(b => (long)Encoding.UTF8.GetByteCount(b.ToJsonString()));
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < iterations; i++) Once(content, provenance, buffer, out _).Dispose();
            var perSecond = iterations / watch.Elapsed.TotalSeconds;
            var total = stages.Sum();
            Console.WriteLine($"{name}\t{content.Length}\t{json}\t{stages[0]}\t{stages[1]}\t{stages[2]}\t{stages[3]}\t{total}\t{(double)total / content.Length:F1}\t{perSecond:F0}");
        }

        return 0;
    }

    private static ReportTransaction Once(byte[] content, ReportProvenance provenance, ArrayBufferWriter<byte> buffer, out long[] stages)
    {
        stages = new long[4];
        var start = GC.GetAllocatedBytesForCurrentThread();
        var message = Hl7v2Parser.ParseOruR01(Hl7v2MessageSplitter.Split(content).Messages[0]);
        var parsed = GC.GetAllocatedBytesForCurrentThread();
        var report = Hl7v2ReportMapper.Map(message, "bench-lab");
        var mapped = GC.GetAllocatedBytesForCurrentThread();
        var transaction = GenomicReportBuilder.Build(report, provenance);
        var built = GC.GetAllocatedBytesForCurrentThread();
        for (var bundle = 0; bundle < transaction.BundleCount; bundle++)
        {
            buffer.ResetWrittenCount();
            transaction.WriteBundle(bundle, buffer);
        }

        var written = GC.GetAllocatedBytesForCurrentThread();
        stages[0] = parsed - start;
        stages[1] = mapped - parsed;
        stages[2] = built - mapped;
        stages[3] = written - built;
        return transaction;
    }
}
