using System.Buffers;
using BenchmarkDotNet.Attributes;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Fhir.Genomics;
using PrecisionMed.Core.Formats.Hl7v2;
using PrecisionMed.Core.Knowledge.Enrichment;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Bench;

/// <summary>
/// The whole HL7 v2 report path, per message: split + parse + map + build the FHIR transaction(s) +
/// write every bundle as UTF-8 JSON. Inputs are the four general-lab ORU from
/// microsoft/FHIR-Converter's samples and an authored genomic ORU with five simple-variant groups and
/// a PGx group. The baseline is parsing alone; Map, Build and Serialise each run on the previous stage's
/// output prepared once in setup, so the stages' costs show side by side with the whole.
/// </summary>
// Min beside Mean: on a shared, loaded machine the minimum is the closest to the uncontended cost.
[MemoryDiagnoser]
[MinColumn]
public class Hl7v2PipelineBenchmarks
{
    private const string LabId = "bench-lab";
    private const string GenomicMessage = "genomic_5variants_pgx.hl7";

    // The buffer is reused, as a writer that streams bundles one after another would reuse its own.
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private byte[] _content = [];
    private ReportProvenance _provenance = null!;
    private Hl7v2Message _parsed = null!;
    private LabReport _report = null!;
    private ReportTransaction _transaction = null!;

    [ParamsSource(nameof(Messages))]
    public string Message { get; set; } = string.Empty;

    public static IEnumerable<string> Messages() =>
        Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "hl7v2"), "msft_*.hl7").Select(Path.GetFileName).Order()
            .Append(GenomicMessage)!;

    [GlobalSetup]
    public void Setup()
    {
        _content = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "hl7v2", Message));
        _provenance = new ReportProvenance(LabId, "incoming/bench-lab/" + Message, "00", Message, 0, 1, DateTimeOffset.UnixEpoch, "bench");
        _parsed = Parse();
        _report = Hl7v2ReportMapper.Map(_parsed, LabId);
        _transaction = GenomicReportBuilder.Build(_report, _provenance);

        // The genomic input must stay what the target names, or the figure means something else.
        if (Message == GenomicMessage && (_report.Variants.Count != 5 || _report.Genotypes.Count != 1 || _report.TherapeuticImplications.Count == 0))
            throw new InvalidOperationException($"{Message} no longer maps to 5 variants and a PGx result");
    }

    [Benchmark(Baseline = true)]
    public Hl7v2Message Parse() => Hl7v2Parser.ParseOruR01(Hl7v2MessageSplitter.Split(_content).Messages[0]);

    [Benchmark]
    public LabReport Map() => Hl7v2ReportMapper.Map(_parsed, LabId);

    [Benchmark]
    public int Build()
    {
        using var transaction = GenomicReportBuilder.Build(_report, _provenance);
        return transaction.BundleCount;
    }

    [Benchmark]
    public long Serialise() => Write(_transaction);

    [Benchmark]
    public long ParseMapBuildSerialise()
    {
        var message = Hl7v2Parser.ParseOruR01(Hl7v2MessageSplitter.Split(_content).Messages[0]);
        var report = Hl7v2ReportMapper.Map(message, LabId);
        using var transaction = GenomicReportBuilder.Build(report, _provenance);
        return Write(transaction);
    }

    /// <summary>
    /// <see cref="ParseMapBuildSerialise"/> with the worker's enrichment between map and build (not a benchmark of this
    /// class: <see cref="ReportWorkBenchmarks"/> runs it beside the worker, as the part of the worker's cost that is the
    /// knowledge a report gains, and the larger bundles it then builds and writes).
    /// </summary>
    public async Task<long> ParseMapEnrichBuildSerialiseAsync(ReportEnricher enricher)
    {
        using var transaction = await BuildEnrichedAsync(enricher);
        return Write(transaction);
    }

    /// <summary>The message parsed, mapped, enriched and built, as the worker builds it (the caller disposes it).</summary>
    public async Task<ReportTransaction> BuildEnrichedAsync(ReportEnricher enricher)
    {
        ArgumentNullException.ThrowIfNull(enricher);
        var message = Hl7v2Parser.ParseOruR01(Hl7v2MessageSplitter.Split(_content).Messages[0]);
        var report = await enricher.EnrichAsync(Hl7v2ReportMapper.Map(message, LabId), LabId, CancellationToken.None);
        return GenomicReportBuilder.Build(report, _provenance);
    }

    private long Write(ReportTransaction transaction)
    {
        long written = 0;
        for (var bundle = 0; bundle < transaction.BundleCount; bundle++)
        {
            _buffer.ResetWrittenCount();
            transaction.WriteBundle(bundle, _buffer);
            written += _buffer.WrittenCount;
        }

        return written;
    }
}
