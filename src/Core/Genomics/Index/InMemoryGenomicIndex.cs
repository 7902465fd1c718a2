using System.Collections.Concurrent;

namespace PrecisionMed.Core.Genomics.Index;

/// <summary>The genomic index in memory: for tests, <c>pmed ingest</c> without Cosmos DB, and a stand-in for a local run.</summary>
public sealed class InMemoryGenomicIndex : IGenomicIndex
{
    private readonly ConcurrentDictionary<(string Patient, string Report), IndexedReport> _reports = new();
    private readonly object _gate = new();

    public Task<IReadOnlyList<IndexedReport>> ReadSubjectAsync(string patient, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IndexedReport>>([.. _reports.Values.Where(r => r.Patient == patient).OrderBy(r => r.Report, StringComparer.Ordinal)]);

    public Task<IReadOnlyList<IndexedReport>> ReadPopulationAsync(PopulationKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<IndexedReport>>([.. _reports.Values.OrderBy(r => r.Report, StringComparer.Ordinal)
                .Select(r => PopulationSlices.Of(r).GetValueOrDefault(key)).OfType<IndexedReport>()]);
        }
    }

    public Task<long> CountSubjectsAsync(CancellationToken cancellationToken) =>
        Task.FromResult((long)_reports.Keys.Select(k => k.Patient).Distinct(StringComparer.Ordinal).Count());

    public Task WriteAsync(IndexedReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        lock (_gate) _reports[(report.Patient, report.Report)] = report;
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string patient, string report, CancellationToken cancellationToken)
    {
        lock (_gate) _reports.TryRemove((patient, report), out _);
        return Task.CompletedTask;
    }
}
