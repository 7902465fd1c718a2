using System.Collections.Concurrent;
using PrecisionMed.Core.Genomics.Index;

namespace PrecisionMed.Core.Tests.Genomics.Operations;

/// <summary>The in-memory index, counting what the operations read: which subjects, which population partitions.</summary>
internal sealed class CountingGenomicIndex(IGenomicIndex inner) : IGenomicIndex
{
    public ConcurrentQueue<string> SubjectReads { get; } = new();

    public ConcurrentQueue<PopulationKey> PopulationReads { get; } = new();

    public int CountReads { get; private set; }

    public Task<IReadOnlyList<IndexedReport>> ReadSubjectAsync(string patient, CancellationToken cancellationToken)
    {
        SubjectReads.Enqueue(patient);
        return inner.ReadSubjectAsync(patient, cancellationToken);
    }

    public Task<IReadOnlyList<IndexedReport>> ReadPopulationAsync(PopulationKey key, CancellationToken cancellationToken)
    {
        PopulationReads.Enqueue(key);
        return inner.ReadPopulationAsync(key, cancellationToken);
    }

    public Task<long> CountSubjectsAsync(CancellationToken cancellationToken)
    {
        CountReads++;
        return inner.CountSubjectsAsync(cancellationToken);
    }

    public Task WriteAsync(IndexedReport report, CancellationToken cancellationToken) => inner.WriteAsync(report, cancellationToken);

    public Task RemoveAsync(string patient, string report, CancellationToken cancellationToken) => inner.RemoveAsync(patient, report, cancellationToken);
}
