using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PrecisionMed.Adapters;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Enrichment;
using PrecisionMed.Core.Knowledge.Import;

namespace PrecisionMed.Bench;

/// <summary>
/// Figures BenchmarkDotNet does not measure: lookups and store requests per report (cold and warm cache; against
/// Cosmos DB when an endpoint is given), and importer throughput and peak memory for a generated ClinVar file.
/// <c>dotnet run -c Release --project bench -- knowledge-figures [ROWS] [--cosmos URL KEY]</c>.
/// </summary>
internal static class KnowledgeFigures
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out var n) ? n : 1_000_000;
        var cosmos = Array.IndexOf(args, "--cosmos") is var at and >= 0 ? (new Uri(args[at + 1]), args[at + 2]) : default((Uri, string)?);

        var seedClock = Stopwatch.StartNew();
        var seed = await EmbeddedKnowledgeSeed.LoadAsync(CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"embedded seed: {seed.Count} documents loaded in {seedClock.Elapsed.TotalMilliseconds:F0} ms (first use in a process, JIT included)"));

        var memory = await KnowledgeBenchData.StoreAsync(50);
        await RequestsPerReportAsync("in-process store", memory);
        if (cosmos is var (endpoint, key))
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Cosmos:Endpoint"] = endpoint.ToString(),
                ["Cosmos:EmulatorKey"] = key,
                ["Cosmos:Database"] = "precisionmed-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                ["Cosmos:CreateIfMissing"] = "true",
            }).Build();
            await using var services = new ServiceCollection().AddCosmosKnowledgeStore(configuration).BuildServiceProvider();
            var store = services.GetRequiredService<IKnowledgeStore>();
            var importer = new KnowledgeImporter(store, services.GetRequiredService<IKnowledgeWriter>());
            foreach (var (source, file) in EmbeddedKnowledgeSeed.Files) await EmbeddedKnowledgeSeed.ImportAsync(importer, source, file);

            await using (var generated = KnowledgeBenchData.File(10_000))
            {
                var clock = Stopwatch.StartNew();
                var result = await importer.ImportAsync(KnowledgeSource.ClinVar, generated, "generated-10k.txt", maxConcurrency: 16);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"import into Cosmos (emulator): 10,000 rows, {result.Documents} documents in {clock.Elapsed.TotalSeconds:F1} s = {10_000 / clock.Elapsed.TotalSeconds:N0} rows/s"));
            }

            await RequestsPerReportAsync("Cosmos DB (emulator)", store);
        }

        await ImportThroughputAsync(rows);
        return 0;
    }

    private static async Task RequestsPerReportAsync(string name, IKnowledgeStore store)
    {
        const int variants = 50, unknown = 10;
        var counting = new CountingStore(store);
        using var lookup = new KnowledgeLookup(counting, Options.Create(new KnowledgeOptions { VersionRefresh = TimeSpan.FromDays(1) }), TimeProvider.System);
        var enricher = new ReportEnricher(lookup);
        var report = KnowledgeBenchData.Report(variants, unknown);
        var clock = Stopwatch.StartNew();
        await enricher.EnrichAsync(report, "bench-lab", CancellationToken.None);
        var coldTime = clock.Elapsed;
        var (coldRequests, coldVariantRequests, coldLookups) = (counting.Reads, counting.VariantReads, lookup.Lookups);
        clock.Restart();
        var enriched = await enricher.EnrichAsync(report, "bench-lab", CancellationToken.None);
        var warmTime = clock.Elapsed;
        var (warmRequests, warmVariantRequests) = (counting.Reads - coldRequests, counting.VariantReads - coldVariantRequests);

        // Every variant of the generated report is a distinct build:chrom:pos:ref:alt. The target: at most one
        // request per distinct variant with a cold cache, none at all (variants or anything else) with a warm one.
        var cold = (double)coldVariantRequests / variants;
        var warm = (double)warmVariantRequests / variants;
        var met = cold <= 1 && warmRequests == 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {variants}-variant report ({variants - unknown} known, {unknown} unknown with c./g. HGVS; 1 gene, 1 diplotype): {coldLookups} lookups; "
            + $"store requests cold {coldRequests} ({coldVariantRequests} for variants; {coldTime.TotalMilliseconds:F1} ms), "
            + $"warm {warmRequests} ({warmTime.TotalMilliseconds:F2} ms); "
            + $"{enriched.DiagnosticImplications.Count} diagnostic + {enriched.TherapeuticImplications.Count} therapeutic implications"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: requests_per_distinct_variant_cold={cold:F2} warm={warm:F2} warm_requests_total={warmRequests} "
            + $"(target cold <= 1, warm 0: {(met ? "met" : "MISSED")})"));
    }

    private static async Task ImportThroughputAsync(int rows)
    {
        var path = Path.Combine(Path.GetTempPath(), $"pmed-clinvar-{rows}.txt");
        if (!File.Exists(path))
        {
            await using var writer = new StreamWriter(path);
            await writer.WriteAsync(KnowledgeBenchData.Header() + "\n");
            for (var i = 0; i < rows; i++) await writer.WriteAsync(KnowledgeBenchData.Row(i) + "\n");
        }

        GC.Collect();
        var sink = new HashingSink();
        var clock = Stopwatch.StartNew();
        await using (var file = File.OpenRead(path))
        {
            var result = await new KnowledgeImporter(sink, sink).ImportAsync(KnowledgeSource.ClinVar, file, Path.GetFileName(path), maxConcurrency: 4);
            clock.Stop();

            // The process's peak working set (VmHWM on Linux): an upper bound of the import's, since it also covers the
            // embedded seed and the report runs above. The target is under 300 MB for 1,000,000 rows.
            using var process = Process.GetCurrentProcess();
            var peakMb = process.PeakWorkingSet64 / 1048576.0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"import throughput: {rows:N0}-row ClinVar-format file ({new FileInfo(path).Length / 1048576.0:F0} MB), {result.Documents:N0} documents serialised and hashed "
                + $"in {clock.Elapsed.TotalSeconds:F1} s = {rows / clock.Elapsed.TotalSeconds:N0} rows/s"));
            var scope = rows == 1_000_000 ? string.Empty : "; the target is for 1,000,000 rows";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"import_rows={rows} import_rows_per_s={rows / clock.Elapsed.TotalSeconds:F0} import_peak_mb={peakMb:F0} (target < 300: {(peakMb < 300 ? "met" : "MISSED")}{scope})"));
        }

        File.Delete(path);
    }

    /// <summary>Counts the reads that reach the store: for Cosmos DB, one request each.</summary>
    private sealed class CountingStore(IKnowledgeStore inner) : IKnowledgeStore
    {
        private long _reads;
        private long _variantReads;

        public long Reads => Interlocked.Read(ref _reads);

        /// <summary>Reads of variant documents (by location or HGVS): the target is one per distinct variant cold.</summary>
        public long VariantReads => Interlocked.Read(ref _variantReads);

        public Task<KnowledgeDocument?> ReadAsync(string id, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            if (id.StartsWith("variant:", StringComparison.Ordinal) || id.StartsWith("hgvs:", StringComparison.Ordinal)) Interlocked.Increment(ref _variantReads);
            return inner.ReadAsync(id, cancellationToken);
        }
    }

    /// <summary>A writer that does what every writer does first (serialise and hash) and keeps nothing: the importer's own cost.</summary>
    private sealed class HashingSink : IKnowledgeStore, IKnowledgeWriter
    {
        public Task<KnowledgeDocument?> ReadAsync(string id, CancellationToken cancellationToken) => Task.FromResult<KnowledgeDocument?>(null);

        public Task<bool> UpsertAsync(KnowledgeDocument document, CancellationToken cancellationToken)
        {
            _ = KnowledgeJson.Serialize(document);
            return Task.FromResult(true);
        }

        public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => Task.FromResult(false);
    }
}
