using System.Diagnostics;
using System.Globalization;
using PrecisionMed.Core.Genomics.Index;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Bench.Worker;

/// <summary>
/// <c>worker-figures [ROUNDS] [OPS] [MESSAGE]</c>: the ratios (worker's, enriched builder's) of <see cref="ReportWorkBenchmarks"/> without BenchmarkDotNet's minutes per
/// case. Builder and worker take turns, round after round, on each message; the fastest round of each is kept, as the closest
/// to the uncontended cost on a shared machine, so both sides of the ratio see the same load.
/// </summary>
internal static class WorkerFigures
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        var ops = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50;
        Console.WriteLine("message\tbuilder_us\tenriched_builder_us\tworker_us\tratio\tenriched_ratio");
        foreach (var message in ReportWorkBenchmarks.Messages().Where(m => args.Length <= 3 || m.Contains(args[3], StringComparison.Ordinal)))
        {
            var bench = new ReportWorkBenchmarks { Message = message };
            bench.Setup();
            double builder = double.MaxValue, enriched = double.MaxValue, worker = double.MaxValue;
            for (var round = 0; round < rounds; round++)
            {
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < ops; i++) bench.Builder();
                builder = Math.Min(builder, clock.Elapsed.TotalMicroseconds / ops);
                clock.Restart();
                for (var i = 0; i < ops; i++) await bench.EnrichedBuilder();
                enriched = Math.Min(enriched, clock.Elapsed.TotalMicroseconds / ops);
                clock.Restart();
                for (var i = 0; i < ops; i++) await bench.Worker();
                worker = Math.Min(worker, clock.Elapsed.TotalMicroseconds / ops);
            }

            bench.Cleanup();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{message}\t{builder:F1}\t{enriched:F1}\t{worker:F1}\t{worker / builder:F2}\t{enriched / builder:F2}"));
        }

        return 0;
    }

    /// <summary>
    /// <c>index-figures [ROUNDS] [OPS]</c>: per message, the worker's genomic index write of the enriched unit
    /// (<see cref="GenomicIndexWriter"/>: the entries read from the written bundles, into an in-memory index), fastest round.
    /// </summary>
    public static async Task<int> IndexAsync(string[] args)
    {
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        var ops = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;
        Console.WriteLine("message\tindex_write_us\tentries\tbytes_each");
        var written = new ReportUnitWrite(false, new FhirWriteResult(["Patient/bench-1/_history/1"]), null);
        foreach (var message in ReportWorkBenchmarks.Messages())
        {
            var bench = new ReportWorkBenchmarks { Message = message };
            bench.Setup();
            using var transaction = await bench.BuildEnrichedAsync();
            var writer = new GenomicIndexWriter(new InMemoryGenomicIndex());
            var entries = await writer.WriteAsync(transaction, written, CancellationToken.None);
            var fastest = double.MaxValue;
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var round = 0; round < rounds; round++)
            {
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < ops; i++) await writer.WriteAsync(transaction, written, CancellationToken.None);
                fastest = Math.Min(fastest, clock.Elapsed.TotalMicroseconds / ops);
            }

            var bytes = (GC.GetAllocatedBytesForCurrentThread() - before) / (rounds * ops);
            bench.Cleanup();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{message}\t{fastest:F1}\t{entries}\t{bytes}"));
        }

        return 0;
    }

    /// <summary>
    /// <c>worker-profile MESSAGE [SECONDS]</c>: the worker alone on one message, for a sampling profiler (no builder rounds in the
    /// trace): its time, bytes allocated and GCs per unit, and with PMED_BENCH_ALLOC_TYPES=1 the types it allocates most (sampled).
    /// </summary>
    public static async Task<int> ProfileAsync(string[] args)
    {
        var message = ReportWorkBenchmarks.Messages().First(m => args.Length < 2 || m.Contains(args[1], StringComparison.Ordinal));
        var seconds = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 10;
        var bench = new ReportWorkBenchmarks { Message = message };
        bench.Setup();
        using var types = Environment.GetEnvironmentVariable("PMED_BENCH_ALLOC_TYPES") is null ? null : new AllocTypes();
        for (var i = 0; i < 200; i++) await bench.Worker();
        if (types is not null) types.On = true;
        var before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var handled = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            await bench.Worker();
            handled++;
        }

        var allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / handled;
        if (types is not null)
        {
            types.On = false;
            foreach (var (k, v) in types.Counts.OrderByDescending(x => x.Value).Take(25)) Console.WriteLine($"{v}\t{k}");
        }

        var builderBytes = bench.Builder();
        var enrichedBytes = await bench.EnrichedBuilder();
        bench.Cleanup();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{message}\tbuilder's bundles {builderBytes} B, enriched {enrichedBytes} B\t{handled} units\t{allocated} B each\t{clock.Elapsed.TotalMicroseconds / handled:F1} us each\tGCs {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, heap {GC.GetTotalMemory(false) / 1024} KB"));
        return 0;
    }
}
