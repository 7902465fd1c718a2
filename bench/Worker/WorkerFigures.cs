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
/// Each message's paths first run in turn for <see cref="WarmUp"/> (PMED_BENCH_WARMUP seconds, default 15): on this machine
/// the runtime takes some ten seconds to bring the worker's code to its final tier (instrumented, then optimised with the
/// profile it gathered), the builder's smaller path sooner, so a short warm-up compares the worker's unfinished code with
/// the builder's finished code. A Functions host handles messages for hours: the settled figure is the production one.
/// </summary>
internal static class WorkerFigures
{
    /// <summary>How long each path runs before it is measured.</summary>
    private static TimeSpan WarmUp =>
        TimeSpan.FromSeconds(double.Parse(Environment.GetEnvironmentVariable("PMED_BENCH_WARMUP") ?? "15", CultureInfo.InvariantCulture));

    private static async Task WarmAsync(params Func<Task>[] paths)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < WarmUp)
            foreach (var path in paths) await path();
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        var ops = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50;
        Console.WriteLine("message\tbuilder_us\tenriched_builder_us\tworker_us\tratio\tenriched_ratio");
        foreach (var message in ReportWorkBenchmarks.Messages().Where(m => args.Length <= 3 || m.Contains(args[3], StringComparison.Ordinal)))
        {
            var bench = new ReportWorkBenchmarks { Message = message };
            bench.Setup();
            await WarmAsync(() => Task.FromResult(bench.Builder()), bench.EnrichedBuilder, bench.Worker);
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
    /// <c>index-figures [ROUNDS] [OPS] [MESSAGE]</c>: per message, the worker's genomic index write of the enriched unit
    /// (<see cref="GenomicIndexWriter"/>: the entries read from the written bundles, into an in-memory index), fastest round.
    /// </summary>
    public static async Task<int> IndexAsync(string[] args)
    {
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        var ops = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;
        Console.WriteLine("message\tindex_write_us\tentries\tbytes_each");
        var written = new ReportUnitWrite(false, new FhirWriteResult(["Patient/bench-1/_history/1"]), null);
        foreach (var message in ReportWorkBenchmarks.Messages().Where(m => args.Length <= 3 || m.Contains(args[3], StringComparison.Ordinal)))
        {
            var bench = new ReportWorkBenchmarks { Message = message };
            bench.Setup();
            using var transaction = await bench.BuildEnrichedAsync();
            var writer = new GenomicIndexWriter(new InMemoryGenomicIndex());
            var entries = await writer.WriteAsync(transaction, written, CancellationToken.None);
            await WarmAsync(() => writer.WriteAsync(transaction, written, CancellationToken.None));
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
    /// <c>worker-profile MESSAGE [SECONDS [builder]]</c>: the worker (or with <c>builder</c>, the builder's path) alone on one
    /// message, after the warm-up, for a sampling profiler (no other path in the trace): its time, bytes allocated, GCs and
    /// their pauses per unit, and with PMED_BENCH_ALLOC_TYPES=1 the types it allocates most (sampled).
    /// </summary>
    public static async Task<int> ProfileAsync(string[] args)
    {
        var message = ReportWorkBenchmarks.Messages().First(m => args.Length < 2 || m.Contains(args[1], StringComparison.Ordinal));
        var seconds = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 10;
        var bench = new ReportWorkBenchmarks { Message = message };
        bench.Setup();
        using var types = Environment.GetEnvironmentVariable("PMED_BENCH_ALLOC_TYPES") is null ? null : new AllocTypes();
        // "builder" as a third argument profiles the builder's path the same way, for comparing the two alone.
        Func<Task> round = args.Length > 3 && args[3] == "builder" ? () => Task.FromResult(bench.Builder()) : bench.Worker;
        await WarmAsync(round);
        if (types is not null) types.On = true;
        var before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var handled = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            await round();
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
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{message}\tbuilder's bundles {builderBytes} B, enriched {enrichedBytes} B\t{handled} units\t{allocated} B each\t{clock.Elapsed.TotalMicroseconds / handled:F1} us each\tGCs {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, heap {GC.GetTotalMemory(false) / 1024} KB, GC pauses {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms"));
        return 0;
    }
}
