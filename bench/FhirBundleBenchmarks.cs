using BenchmarkDotNet.Attributes;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Formats;
using PrecisionMed.Core.Formats.Fhir;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Bench;

/// <summary>
/// The FHIR-bundle path of a report unit: detect, read, split, re-identify. The baseline is reading
/// alone, so the cost of re-identification shows as a ratio.
/// </summary>
[MemoryDiagnoser]
public class FhirBundleBenchmarks
{
    private byte[] _content = [];

    [ParamsSource(nameof(Samples))]
    public string Sample { get; set; } = string.Empty;

    public static IEnumerable<string> Samples() =>
        Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "samples"), "*.json").Select(Path.GetFileName).Order()!;

    [GlobalSetup]
    public void Setup() => _content = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "samples", Sample));

    [Benchmark]
    public DetectedFormat Detect() => FormatDetector.Detect(_content);

    [Benchmark(Baseline = true)]
    public async Task<LabBundle> Read()
    {
        using var stream = new MemoryStream(_content, writable: false);
        return await FhirBundleReader.ReadAsync(stream, CancellationToken.None);
    }

    [Benchmark]
    public async Task<ReportTransaction> ReadSplitAndBuild()
    {
        using var stream = new MemoryStream(_content, writable: false);
        var bundle = await FhirBundleReader.ReadAsync(stream, CancellationToken.None);
        var unit = FhirReportSplitter.Split(bundle)[0];
        var provenance = new ReportProvenance("bench-lab", "incoming/bench-lab/" + Sample, "00", Sample, 0, 1,
            DateTimeOffset.UnixEpoch, "bench");
        return ReportTransactionBuilder.Build(bundle, unit, provenance);
    }
}
