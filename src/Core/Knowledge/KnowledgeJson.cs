using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PrecisionMed.Core.Knowledge;

/// <summary>
/// The one JSON shape of knowledge documents, shared by the embedded store, Cosmos DB and the importers. Every stored
/// document carries <c>contentHash</c> (SHA-256 of its own JSON), which is how an upsert tells "same content" cheaply.
/// </summary>
public static class KnowledgeJson
{
    public const string ContentHashProperty = "contentHash";

    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        // Cosmos DB returns documents with its own properties and in its own order.
        AllowOutOfOrderMetadataProperties = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The document as stored: its JSON with <c>contentHash</c> added.</summary>
    public static (byte[] Json, string ContentHash) Serialize(KnowledgeDocument document)
    {
        var node = JsonSerializer.SerializeToNode(document, Options)!.AsObject();
        var hash = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(node, Options)));
        node[ContentHashProperty] = hash;
        return (JsonSerializer.SerializeToUtf8Bytes(node, Options), hash);
    }

    public static string ContentHash(KnowledgeDocument document) => Serialize(document).ContentHash;

    public static KnowledgeDocument? Deserialize(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize<KnowledgeDocument>(json, Options);

    public static async Task<KnowledgeDocument?> DeserializeAsync(Stream json, CancellationToken cancellationToken) =>
        await JsonSerializer.DeserializeAsync<KnowledgeDocument>(json, Options, cancellationToken);

    /// <summary>The stored content hash of a document's JSON, or null.</summary>
    public static string? ReadContentHash(JsonNode? stored) =>
        stored?[ContentHashProperty] is JsonValue value && value.TryGetValue<string>(out var hash) ? hash : null;
}
