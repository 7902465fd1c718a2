using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Pipeline.Ledger;

/// <summary>
/// The file's state changes, each checked against <see cref="LedgerTransitions"/>: a method returns the record in the
/// table's state with one event appended to its history (the story ops read in one place).
/// </summary>
public sealed partial record LedgerFile
{
    /// <summary>Its units recorded and queued.</summary>
    public LedgerFile Split(int unitCount, DateTimeOffset at) => Move(FileTransition.Split, at, $"Split into {unitCount} unit(s)");

    /// <summary>Every unit written (or, for a VCF manifest, kept beside its VCF): the original is at <paramref name="storedAt"/>, or nowhere we moved it to.</summary>
    /// <param name="what">The event recorded, saying where the original went.</param>
    public LedgerFile Complete(string what, string? storedAt, DateTimeOffset at) => Move(FileTransition.Complete, at, what) with { StoredAt = storedAt };

    /// <summary>Rejected, the original copied to <paramref name="storedAt"/> with its error report.</summary>
    public LedgerFile Reject(LabFileProblem problem, string storedAt, DateTimeOffset at) =>
        Move(FileTransition.Reject, at, "Rejected: " + problem) with { Problem = problem, StoredAt = storedAt };

    /// <summary>A unit is held for review and none failed: the original stays in <c>incoming/</c>.</summary>
    public LedgerFile Hold(DateTimeOffset at) => Move(FileTransition.Hold, at, nameof(FileState.Held));

    /// <summary>Failed (a unit, or the arrival itself): the original stays in <c>incoming/</c> for a replay.</summary>
    /// <param name="what">The event recorded.</param>
    /// <param name="at">When.</param>
    public LedgerFile Fail(string what, DateTimeOffset at) => Move(FileTransition.Fail, at, what);

    /// <summary>Units re-driven: in flight again.</summary>
    public LedgerFile Replay(string what, DateTimeOffset at) => Move(FileTransition.Replay, at, what);

    /// <summary>A replay's messages could not be queued: back to <paramref name="replayedFrom"/>, the state the replay found.</summary>
    public LedgerFile ReplayNotQueued(FileState replayedFrom, DateTimeOffset at) => this with
    {
        State = LedgerTransitions.FileTarget(State, FileTransition.ReplayNotQueued, replayedFrom),
        UpdatedAt = at,
        History = [.. History, new LedgerEvent(at, $"A replay could not be queued: {replayedFrom} again")],
    };

    /// <summary>Failed at arrival, its arrival run again: Received, its problem cleared.</summary>
    public LedgerFile ReplayArrival(string what, DateTimeOffset at) => Move(FileTransition.ReplayArrival, at, what) with { Problem = null };

    /// <summary>The same content arrived again and was copied to <paramref name="area"/>: counted, the state unchanged.</summary>
    public LedgerFile Duplicate(string area, DateTimeOffset at) =>
        Move(FileTransition.Duplicate, at, $"Same content arrived again; copied to {area}") with { DuplicateCount = DuplicateCount + 1 };

    private LedgerFile Move(FileTransition transition, DateTimeOffset at, string what) => this with
    {
        State = LedgerTransitions.FileTarget(State, transition),
        UpdatedAt = at,
        History = [.. History, new LedgerEvent(at, what)],
    };
}
