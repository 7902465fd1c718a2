using PrecisionMed.Core.Knowledge;

namespace PrecisionMed.Core.Tests.Fakes;

/// <summary>
/// Counts the reads that reach a knowledge store (on Cosmos DB one request each), by id, so a test can say which
/// documents a cold cache asked for and that a warm one asked for none.
/// </summary>
internal sealed class CountingKnowledgeStore(IKnowledgeStore inner) : IKnowledgeStore
{
    private readonly Lock _lock = new();
    private readonly List<string> _ids = [];

    public int Reads
    {
        get
        {
            lock (_lock) return _ids.Count;
        }
    }

    /// <summary>The ids read, in order.</summary>
    public IReadOnlyList<string> Ids
    {
        get
        {
            lock (_lock) return [.. _ids];
        }
    }

    public Task<KnowledgeDocument?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock) _ids.Add(id);
        return inner.ReadAsync(id, cancellationToken);
    }
}
