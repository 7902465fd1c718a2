using System.Text.Json;
using System.Text.Json.Serialization;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Core.Pipeline.Work;

/// <summary>
/// The claim-check message on the <c>lab-reports</c> queue: which unit of which file to process.
/// Small and free of PHI by construction: ids, counts and a hash, never content, and not the blob's name either
/// (labs name files by sample id, accession or even patient): <see cref="BlobName"/> is read from the file's ledger
/// record when the message is handled (<see cref="ReportWorkHandler"/>, <see cref="PoisonWorkHandler"/>).
/// <see cref="TraceParent"/> is the W3C trace context of the file's arrival, so a unit's trace continues its file's
/// (absent in older messages). <see cref="Attempt"/> and <see cref="FailingSince"/> are set on the copies a transient
/// failure puts back with a delay (<see cref="TransientRetryScheduler"/>); absent, as in older messages, they mean a
/// first attempt.
/// </summary>
public sealed record WorkItem(
    string FileId,
    string LabId,
    string ContentHash,
    LabFileFormat Format,
    int UnitIndex,
    int UnitCount,
    string CorrelationId,
    DateTimeOffset ReceivedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TraceParent = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int Attempt = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? FailingSince = null)
{
    // Attempt: the number of this message in the unit's chain. Every deferral and every replay queues the next number
    // and records it on the unit (LedgerUnit.Attempt); a message older than the unit's number is a stale copy.
    // FailingSince: when the unit's current run of transient failures began; the retry budget counts from it.

    /// <summary>The file's name under the lab's folder: known to the code that queues the item, never serialised.</summary>
    [JsonIgnore]
    public string BlobName { get; init; } = string.Empty;

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },

        // Every field is part of the contract: a message without unitIndex must not become unit 0,
        // nor one without contentHash a ledger unit with no hash.
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    /// <summary>The version of the blob that arrived, from the file's ledger record like <see cref="BlobName"/>; null for files recorded without one.</summary>
    [JsonIgnore]
    public string? SourceETag { get; init; }

    /// <summary>The blob's path inside its container: <c>{labId}/{name}</c>.</summary>
    [JsonIgnore]
    public string LabPath => $"{LabId}/{BlobName}";

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>
    /// The item with its <see cref="BlobName"/> and <see cref="SourceETag"/> from the file's ledger record (a message carries none), or null when the
    /// ledger has no such file of this lab: arrival records the file before it queues a unit, so that message is stale.
    /// </summary>
    public async Task<WorkItem?> WithBlobNameAsync(ILabFileLedger ledger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        if (BlobName.Length > 0 && SourceETag is not null) return this;
        var file = await ledger.FindFileAsync(FileId, cancellationToken);
        return file is null || file.LabId != LabId || file.BlobName.Length == 0
            ? null
            : this with { BlobName = file.BlobName, SourceETag = file.ContentHash == ContentHash ? file.SourceETag : null };
    }

    /// <summary>Reads a queue message; a message that is not a work item yields null.</summary>
    public static WorkItem? TryParse(string message)
    {
        try
        {
            var item = JsonSerializer.Deserialize<WorkItem>(message, JsonOptions);
            return item is { FileId.Length: > 0, LabId.Length: > 0, ContentHash.Length: > 0, UnitCount: > 0, Attempt: >= 0 }
                   && item.UnitIndex >= 0 && item.UnitIndex < item.UnitCount ? item : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
