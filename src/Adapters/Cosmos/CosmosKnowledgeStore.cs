using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using PrecisionMed.Core.Knowledge;

namespace PrecisionMed.Adapters.Cosmos;

/// <summary>
/// The knowledge store in the Cosmos DB container <c>knowledge</c>, partitioned by <c>/id</c>: every document is its
/// own logical partition, so every read is a 1-RU point read and nothing ever queries across partitions. Documents
/// go through the stream API in <see cref="KnowledgeJson"/>'s shape; an upsert first reads the stored
/// <c>contentHash</c> and writes only when the content changed (re-import writes nothing).
/// </summary>
internal sealed class CosmosKnowledgeStore(CosmosContainerProvider containers, CosmosOptions options) : IKnowledgeStore, IKnowledgeWriter
{
    public async Task<KnowledgeDocument?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        var container = await containers.KnowledgeAsync(cancellationToken);
        using var response = await container.ReadItemStreamAsync(id, new PartitionKey(id), cancellationToken: cancellationToken);
        if (IsMissing(response)) return null;
        response.EnsureSuccessStatusCode();
        return await KnowledgeJson.DeserializeAsync(response.Content, cancellationToken);
    }

    public async Task<bool> UpsertAsync(KnowledgeDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var container = await containers.KnowledgeAsync(cancellationToken);
        var (json, hash) = KnowledgeJson.Serialize(document);
        var partitionKey = new PartitionKey(document.Id);

        using (var existing = await container.ReadItemStreamAsync(document.Id, partitionKey, cancellationToken: cancellationToken))
        {
            if (!IsMissing(existing))
            {
                existing.EnsureSuccessStatusCode();
                var stored = await JsonNode.ParseAsync(existing.Content, cancellationToken: cancellationToken);
                if (KnowledgeJson.ReadContentHash(stored) == hash) return false;
            }
        }

        using var body = new MemoryStream(json, writable: false);
        using var response = await container.UpsertItemStreamAsync(body, partitionKey, cancellationToken: cancellationToken);
        response.EnsureSuccessStatusCode();
        return true;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var container = await containers.KnowledgeAsync(cancellationToken);
        using var response = await container.DeleteItemStreamAsync(id, new PartitionKey(id), cancellationToken: cancellationToken);
        if (IsMissing(response)) return false;
        response.EnsureSuccessStatusCode();
        return true;
    }

    // The emulator server answers a missing item with 500 rather than 404.
    private bool IsMissing(ResponseMessage response) =>
        response.StatusCode == HttpStatusCode.NotFound
        || (options.IsEmulator && response.StatusCode == HttpStatusCode.InternalServerError);
}
