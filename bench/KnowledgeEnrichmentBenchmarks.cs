using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Fhir.Genomics;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Enrichment;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Bench;

/// <summary>
/// Enrichment of a 50-variant report (four in five known to the store, the rest unknown, plus a CYP2C19 diplotype) with a warm
/// cache: the cost the pipeline adds per report once the cache holds the store's answers. The baseline builds
/// the report's FHIR without enrichment; EnrichAndBuild is what <c>Hl7v2Format</c> does per report.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
public class KnowledgeEnrichmentBenchmarks : IDisposable
{
    private static readonly ReportProvenance Provenance =
        new("bench-lab", "incoming/bench-lab/x.vcf", "abc", "x.vcf", 0, 1, new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), "bench");

    private ReportEnricher _enricher = null!;
    private KnowledgeLookup _lookup = null!;
    private LabReport _report = null!;
    private LabReport _enriched = null!;

    [Params(50)]
    public int Variants { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var store = await KnowledgeBenchData.StoreAsync(Variants);
        _lookup = new KnowledgeLookup(store, Options.Create(new KnowledgeOptions { VersionRefresh = TimeSpan.FromDays(1) }), TimeProvider.System);
        _enricher = new ReportEnricher(_lookup);
        _report = KnowledgeBenchData.Report(Variants, unknown: Variants / 5);
        _enriched = await _enricher.EnrichAsync(_report, "bench-lab", CancellationToken.None); // warms the cache
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _lookup.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public ReportTransaction BuildOnly() => GenomicReportBuilder.Build(_report, Provenance);

    [Benchmark]
    public Task<LabReport> EnrichWarm() => _enricher.EnrichAsync(_report, "bench-lab", CancellationToken.None);

    [Benchmark]
    public async Task<ReportTransaction> EnrichAndBuild() =>
        GenomicReportBuilder.Build(await _enricher.EnrichAsync(_report, "bench-lab", CancellationToken.None), Provenance);

    public int Implications => _enriched.DiagnosticImplications.Count + _enriched.TherapeuticImplications.Count;
}
