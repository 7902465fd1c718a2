using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Bench.Worker;
using PrecisionMed.Core.Knowledge.Enrichment;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Bench;

/// <summary>
/// The queue worker's whole handling of one report unit (<see cref="ReportWorkHandler"/>, as the Functions host wires it,
/// with in-memory ports): claim, read the unit, parse, map, enrich, offload the document, build, patient check, previous
/// version look-up, write, notify, ledger Completed, file archived. The baseline is the builder benchmark's whole path
/// (<see cref="Hl7v2PipelineBenchmarks.ParseMapBuildSerialise"/>) on the same message in the same run, so the Ratio column
/// reads "worker per report / builder per report" directly, whatever the machine's load. <see cref="EnrichedBuilder"/> is the
/// builder's path with the worker's enrichment, to tell the two apart.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
public class ReportWorkBenchmarks
{
    private const string LabId = "bench-lab";

    private readonly Hl7v2PipelineBenchmarks _builder = new();
    private readonly BenchLabFileStore _store = new();
    private readonly BenchLabFileLedger _ledger = new();
    private readonly BenchWorkItemQueue _queue = new();
    private ServiceProvider _services = null!;
    private ReportWorkHandler _worker = null!;
    private ReportEnricher _enricher = null!;
    private WorkItem _item = null!;
    private LedgerFile _arrived = null!;
    private IReadOnlyList<LedgerUnit> _units = [];
    private LabFileLocation _incoming = null!;
    private byte[] _content = [];
    private string _version = string.Empty;

    [ParamsSource(nameof(Messages))]
    public string Message { get; set; } = string.Empty;

    public static IEnumerable<string> Messages() => Hl7v2PipelineBenchmarks.Messages();

    [GlobalSetup]
    public void Setup()
    {
        _builder.Message = Message;
        _builder.Setup();
        _services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<ILabFileStore>(_store)
            .AddSingleton<ILabFileLedger>(_ledger)
            .AddSingleton<IWorkItemQueue>(_queue)
            .AddSingleton<Core.Pipeline.IFhirWriter, BenchFhirWriter>()
            .AddSingleton<Core.Pipeline.Notifications.IResultNotifier, BenchResultNotifier>()
            .AddPrecisionMedPipeline()
            .Configure<PipelineOptions>(o => o.PipelineVersion = "bench")
            .BuildServiceProvider();
        _worker = _services.GetRequiredService<ReportWorkHandler>();
        _enricher = _services.GetRequiredService<ReportEnricher>();

        // The file arrives once, as in production; every invocation then handles its unit from the same starting point.
        _content = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "hl7v2", Message));
        _incoming = new LabFileLocation(LabFileAreas.Incoming, $"{LabId}/{Message}");
        _version = "\"arrived\"";
        _store.Put(_incoming, _content, _version);
        var arrival = _services.GetRequiredService<LabFileArrivalHandler>().HandleAsync(LabId, Message, "bench", null, CancellationToken.None).GetAwaiter().GetResult();
        _item = _queue.Last ?? throw new InvalidOperationException($"{Message}: arrival {arrival} queued nothing");
        _arrived = _ledger.FindFileAsync(_item.FileId, CancellationToken.None).GetAwaiter().GetResult()!;
        _units = _ledger.ListUnitsAsync(_item.FileId, CancellationToken.None).GetAwaiter().GetResult();
        if (_units.Count != 1) throw new InvalidOperationException($"{Message}: {_units.Count} units, the benchmark handles one report");
        if (Worker().GetAwaiter().GetResult() is var outcome && outcome != WorkOutcome.Completed)
            throw new InvalidOperationException($"{Message}: the worker's outcome was {outcome}, not Completed");
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true)]
    public long Builder() => _builder.ParseMapBuildSerialise();

    /// <summary>
    /// The builder's path with the worker's enrichment (knowledge implications and recommendations added before the build):
    /// between Builder and Worker, it tells the worker's own steps from the knowledge a report gains, which the worker
    /// then also builds, writes and indexes (the genomic message's bundle is some three times the builder's).
    /// </summary>
    [Benchmark]
    public Task<long> EnrichedBuilder() => _builder.ParseMapEnrichBuildSerialiseAsync(_enricher);

    /// <summary>The enriched message built once, for timing what the worker does with a built unit (its genomic index write).</summary>
    public Task<Core.Fhir.ReportTransaction> BuildEnrichedAsync() => _builder.BuildEnrichedAsync(_enricher);

    [Benchmark]
    public Task<WorkOutcome> Worker()
    {
        // Back to "arrived, unit pending": the finisher archived the original and the ledger says Completed.
        _store.Put(_incoming, _content, _version);
        _ledger.Restore(_arrived, _units);
        return _worker.HandleAsync(_item, CancellationToken.None);
    }
}
