using System.Text.Json.Serialization;
using PrecisionMed.Core.Formats;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Pipeline.Ledger;

[JsonConverter(typeof(JsonStringEnumConverter<FileState>))]
public enum FileState
{
    Received,
    Split,
    Completed,
    Rejected,
    Held,
    Failed,
}

/// <summary>Which unit states a file's finisher waits for: the one list the ledger's queries and the finisher share.</summary>
public static class UnitStates
{
    /// <summary>Not an end state: the unit will still be written, rejected, held or failed by a delivery to come.</summary>
    public static IReadOnlyList<UnitState> Unfinished { get; } = [UnitState.Pending, UnitState.Processing, UnitState.Waiting];

    public static bool IsUnfinished(this UnitState state) => state is UnitState.Pending or UnitState.Processing or UnitState.Waiting;
}

[JsonConverter(typeof(JsonStringEnumConverter<UnitState>))]
public enum UnitState
{
    Pending,

    /// <summary>Claimed by one delivery of its work item until <see cref="LedgerUnit.ClaimedUntil"/>; others leave it be.</summary>
    Processing,

    /// <summary>
    /// The FHIR service failed transiently: the unit's work item is queued again to be delivered at
    /// <see cref="LedgerUnit.NextAttemptAt"/> (a growing delay, within <see cref="PipelineOptions.TransientRetryBudget"/>).
    /// Not an end state: the file's finisher waits for it, and it completes by itself once the service is back.
    /// </summary>
    Waiting,
    Completed,
    Rejected,

    /// <summary>
    /// Written nothing because the report's patient details disagree with the EMR's Patient of the same identifier:
    /// an end state for the file's finisher (the file reads <see cref="FileState.Held"/>), resolved only by review
    /// (<c>pmed review release</c> to Completed, <c>reject</c> to Rejected) or by a replay that checks again.
    /// </summary>
    Held,
    Failed,
}

/// <summary>What happened to one lab file (one record per distinct content per lab).</summary>
public sealed partial record LedgerFile
{
    /// <summary>The record of a file just seen: state Received, its arrival the one event.</summary>
    public static LedgerFile Received(string fileId, string labId, string blobName, string contentHash, DateTimeOffset at) => new()
    {
        FileId = fileId,
        LabId = labId,
        BlobName = blobName,
        ContentHash = contentHash,
        State = FileState.Received,
        ReceivedAt = at,
        UpdatedAt = at,
        History = [new LedgerEvent(at, "Received")],
    };

    public required string FileId { get; init; }
    public required string LabId { get; init; }

    /// <summary>The file's name under the lab's folder, as first received.</summary>
    public required string BlobName { get; init; }
    public required string ContentHash { get; init; }

    /// <summary>
    /// The version (blob ETag) of <c>incoming/</c> whose bytes were hashed and split: a worker reads only that version, so
    /// content written over the file later is never built under this record's hash. Null in records from before it was kept.
    /// </summary>
    public string? SourceETag { get; init; }
    public LabFileFormat Format { get; init; }
    public FileState State { get; init; }
    public int UnitCount { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Why the file was rejected or failed; positions and rules only, no PHI.</summary>
    public LabFileProblem? Problem { get; init; }

    /// <summary>Where the original now is (<c>archive/...</c> or <c>rejected/...</c>), once moved.</summary>
    public string? StoredAt { get; init; }

    /// <summary>How many times the same content arrived again after the first.</summary>
    public int DuplicateCount { get; init; }

    public IReadOnlyList<LedgerEvent> History { get; init; } = [];
}

/// <summary>What happened to one report unit of a file.</summary>
public sealed partial record LedgerUnit
{
    public required string FileId { get; init; }
    public int UnitIndex { get; init; }
    public required string ContentHash { get; init; }

    /// <summary>Where the unit lies in its uncompressed file, when its format's units are byte ranges (HL7 v2): its worker reads only these bytes.</summary>
    public ReportUnitRange? Range { get; init; }
    public UnitState State { get; init; }
    public string? Accession { get; init; }
    public string? ReportReference { get; init; }
    /// <summary>
    /// <c>Type/id</c> of the resources the unit wrote, the first <see cref="MaxReferencesListed"/> of them: a 10,000-variant
    /// report writes over 10,000, half a megabyte listed whole, and a Cosmos DB item may not pass 2 MB. The complete list is
    /// the targets of the report's Provenance in the FHIR service, which is what amendments read; <see cref="ResourceCount"/> is exact.
    /// </summary>
    public IReadOnlyList<string> ResourceReferences { get; init; } = [];

    /// <summary>How many resources the unit wrote (<see cref="ResourceReferences"/> lists at most <see cref="MaxReferencesListed"/>).</summary>
    public int ResourceCount { get; init; }

    /// <summary>
    /// Results an earlier version of the report wrote that this one no longer carries, set to entered-in-error: the first
    /// <see cref="MaxReferencesListed"/>, as for <see cref="ResourceReferences"/>; <see cref="WithdrawnCount"/> is exact.
    /// </summary>
    public IReadOnlyList<string> WithdrawnReferences { get; init; } = [];

    public int WithdrawnCount { get; init; }

    public LabFileProblem? Problem { get; init; }

    /// <summary>
    /// Loss accounting: what the lab sent that this unit did not map, with where and why (no values).
    /// Capped at <see cref="MaxSkippedListed"/> entries so the record stays small; <see cref="SkippedCount"/> is exact.
    /// </summary>
    public IReadOnlyList<LabFileProblem> Skipped { get; init; } = [];
    public int SkippedCount { get; init; }

    /// <summary>For VCF units: every record of the file counted by outcome (reported, or the rule that skipped it).</summary>
    public IReadOnlyDictionary<string, long> RecordCounts { get; init; } = new Dictionary<string, long>();
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When a reviewer released the held unit: its patient check is not run again for this content.</summary>
    public DateTimeOffset? ReleasedAt { get; init; }

    /// <summary>While <see cref="UnitState.Processing"/>: when the claim lapses (a worker that died releases it this way).</summary>
    public DateTimeOffset? ClaimedUntil { get; init; }

    /// <summary>
    /// The number of the work item message that may process this unit (0 for the first): each deferral and each replay
    /// queues the next number and records it here, so a delivery of an older copy does nothing. Also how many times
    /// the unit was put back after a transient failure (plus its replays).
    /// </summary>
    public int Attempt { get; init; }

    /// <summary>While <see cref="UnitState.Waiting"/>: when the queued work item becomes visible again.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>While <see cref="UnitState.Waiting"/>: when its current run of transient failures began (the retry budget counts from it).</summary>
    public DateTimeOffset? FailingSince { get; init; }

    /// <summary>While <see cref="UnitState.Waiting"/>: the category of the last transient failure (service and HTTP status), no content.</summary>
    public string? WaitingReason { get; init; }

    /// <summary>How many times an operator or the API re-drove this unit (bounded by <see cref="PipelineOptions.MaxReplays"/>).</summary>
    public int ReplayCount { get; init; }

    /// <summary>Replays and other interventions on this unit: who asked and why, no PHI.</summary>
    public IReadOnlyList<LedgerEvent> History { get; init; } = [];

    /// <summary>
    /// The stored version this record was read as (set by the ledger, never serialised): a save of a record with an
    /// ETag succeeds only if nobody saved the unit since; a save without one only creates.
    /// </summary>
    [JsonIgnore]
    public string? ETag { get; init; }

    public const int MaxSkippedListed = 500;

    /// <summary>The record with what the unit wrote and withdrew: counted exactly, listed up to <see cref="MaxReferencesListed"/> each.</summary>
    public LedgerUnit WithReferences(IReadOnlyList<string> written, IReadOnlyList<string> withdrawn) => this with
    {
        ResourceReferences = [.. written.Take(MaxReferencesListed)],
        ResourceCount = written.Count,
        WithdrawnReferences = [.. withdrawn.Take(MaxReferencesListed)],
        WithdrawnCount = withdrawn.Count,
    };

    /// <summary>About 50 KB of references at most in a record, whatever the report's size.</summary>
    public const int MaxReferencesListed = 1_000;
}

/// <summary>A state change, kept on the file record so ops can read a file's story in one place.</summary>
public sealed record LedgerEvent(DateTimeOffset At, string What);
