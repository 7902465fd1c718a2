using System.Text.Json;
using System.Text.Json.Serialization;
using PrecisionMed.Core.Formats;

namespace PrecisionMed.Core.Pipeline;

/// <summary>
/// The claim-check message on the <c>lab-reports</c> queue: which unit of which file to process.
/// Small and free of PHI by construction: ids, paths, counts and a hash, never content. <see cref="TraceParent"/>
/// is the W3C trace context of the file's arrival, so a unit's trace continues its file's (absent in older messages).
/// </summary>
public sealed record WorkItem(
    string FileId,
    string LabId,
    string BlobName,
    string ContentHash,
    LabFileFormat Format,
    int UnitIndex,
    int UnitCount,
    string CorrelationId,
    DateTimeOffset ReceivedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TraceParent = null)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },

        // Every field is part of the contract: a message without unitIndex must not become unit 0,
        // nor one without contentHash a ledger unit with no hash.
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    /// <summary>The blob's path inside its container: <c>{labId}/{name}</c>.</summary>
    [JsonIgnore]
    public string LabPath => $"{LabId}/{BlobName}";

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a queue message; a message that is not a work item yields null.</summary>
    public static WorkItem? TryParse(string message)
    {
        try
        {
            var item = JsonSerializer.Deserialize<WorkItem>(message, JsonOptions);
            return item is { FileId.Length: > 0, LabId.Length: > 0, BlobName.Length: > 0, ContentHash.Length: > 0, UnitCount: > 0 }
                   && item.UnitIndex >= 0 && item.UnitIndex < item.UnitCount ? item : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
