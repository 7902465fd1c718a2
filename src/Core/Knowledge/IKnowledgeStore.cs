namespace PrecisionMed.Core.Knowledge;

/// <summary>
/// The clinical-genomic knowledge store (docs/design.md, "Contracts"): documents read by id, which is also their partition key,
/// so every read is a point read. Implemented by the embedded seed (<see cref="InMemoryKnowledgeStore"/>) and by
/// Cosmos DB (adapter); enrichment reads it through <see cref="KnowledgeLookup"/>, which caches.
/// </summary>
public interface IKnowledgeStore
{
    /// <summary>The document with this id (<see cref="KnowledgeIds"/>), or null when the store has none.</summary>
    Task<KnowledgeDocument?> ReadAsync(string id, CancellationToken cancellationToken);
}

/// <summary>Where importers write: an upsert that leaves an identical document alone, so re-import writes nothing.</summary>
public interface IKnowledgeWriter
{
    /// <summary>Stores the document; false when the store already held the same content (nothing was written).</summary>
    Task<bool> UpsertAsync(KnowledgeDocument document, CancellationToken cancellationToken);

    /// <summary>Removes the document (a classification its source withdrew); false when there was none.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);
}
