using System.Collections.Concurrent;

namespace PrecisionMed.Core.Knowledge;

/// <summary>
/// The knowledge store held in process: the embedded seed (<see cref="EmbeddedKnowledgeSeed"/>) and what tests
/// import. Same contract as the Cosmos adapter: documents by id, upserts that leave identical content alone.
/// </summary>
public sealed class InMemoryKnowledgeStore : IKnowledgeStore, IKnowledgeWriter
{
    private readonly ConcurrentDictionary<string, (string? Hash, KnowledgeDocument Document)> _documents = new(StringComparer.Ordinal);

    public int Count => _documents.Count;

    /// <summary>Every document held (tests draw their expectations from the seed's own documents).</summary>
    public IEnumerable<KnowledgeDocument> Documents => _documents.Values.Select(d => d.Document);

    public Task<KnowledgeDocument?> ReadAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(_documents.TryGetValue(id, out var stored) ? stored.Document : null);

    public Task<bool> UpsertAsync(KnowledgeDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var hash = KnowledgeJson.ContentHash(document);
        var written = false;
        _documents.AddOrUpdate(
            document.Id,
            _ =>
            {
                written = true;
                return (hash, document);
            },
            (_, existing) =>
            {
                if ((existing.Hash ?? KnowledgeJson.ContentHash(existing.Document)) == hash) return existing;
                written = true;
                return (hash, document);
            });
        return Task.FromResult(written);
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => Task.FromResult(_documents.TryRemove(id, out _));

    /// <summary>
    /// A writer that stores every document as it comes, without hashing it first: for filling a new store once (the
    /// embedded seed's 50,000 documents load in a fraction of the time). Its answer is always "written".
    /// </summary>
    public IKnowledgeWriter Loader() => new LoadingWriter(this);

    private sealed class LoadingWriter(InMemoryKnowledgeStore store) : IKnowledgeWriter
    {
        public Task<bool> UpsertAsync(KnowledgeDocument document, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(document);
            store._documents[document.Id] = (null, document);
            return Task.FromResult(true);
        }

        public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => store.DeleteAsync(id, cancellationToken);
    }
}
