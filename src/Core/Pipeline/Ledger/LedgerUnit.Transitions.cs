using PrecisionMed.Core.Formats;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Pipeline.Ledger;

/// <summary>
/// The unit's state changes, each checked against <see cref="LedgerTransitions"/>: a method returns the record in the
/// table's state with the fields that state carries and, for a recorded transition, one event appended to its history.
/// </summary>
public sealed partial record LedgerUnit
{
    /// <summary>A unit just split from its file, waiting for its work item's first delivery.</summary>
    public static LedgerUnit Pending(string fileId, int unitIndex, string contentHash, ReportUnitRange? range, DateTimeOffset at) => new()
    {
        FileId = fileId,
        UnitIndex = unitIndex,
        ContentHash = contentHash,
        Range = range,
        State = UnitState.Pending,
        UpdatedAt = at,
    };

    /// <summary>Taken by the delivery of message <paramref name="attempt"/> until <paramref name="until"/>; any wait it was in ends.</summary>
    public LedgerUnit Claim(string contentHash, int attempt, DateTimeOffset until, DateTimeOffset at) => Move(UnitTransition.Claim, at) with
    {
        ContentHash = contentHash,
        ClaimedUntil = until,
        Attempt = attempt,
        NextAttemptAt = null,
        FailingSince = null,
        WaitingReason = null,
    };

    /// <summary>The claim given back, so the queue's retry of the message can take the unit at once.</summary>
    public LedgerUnit Release(DateTimeOffset at) => Move(UnitTransition.Release, at) with { ClaimedUntil = null };

    /// <summary>Written; what it wrote is set on the record beforehand (<see cref="WithReferences"/>).</summary>
    public LedgerUnit Complete(DateTimeOffset at) =>
        Move(UnitTransition.Complete, at, $"Completed: {ResourceCount} resource(s) written") with { Problem = null, ClaimedUntil = null };

    /// <summary>
    /// Put back until <paramref name="nextAttemptAt"/>, when message <paramref name="attempt"/> is delivered. Recorded once
    /// a run: a deferral that continues a run (<paramref name="again"/>) changes the fields only.
    /// </summary>
    /// <param name="reason">Why it waits: a category, no content.</param>
    public LedgerUnit Wait(string reason, int attempt, DateTimeOffset nextAttemptAt, DateTimeOffset at, bool again = false) =>
        Move(again ? UnitTransition.WaitAgain : UnitTransition.Wait, at, WaitEvent(reason)) with
        {
            Attempt = attempt,
            NextAttemptAt = nextAttemptAt,
            WaitingReason = reason,
            ClaimedUntil = null,
        };

    /// <summary>
    /// Whether the last thing recorded of the unit is a wait for <paramref name="reason"/>: a deferral for that reason then
    /// continues the run. <see cref="WaitingReason"/> cannot tell once the unit is claimed (a claim ends the wait, and is
    /// not recorded), while any recorded transition since (a replay, a hold) starts a new run.
    /// </summary>
    public bool LastWaitedFor(string reason) => History is [.., var last] && last.What == WaitEvent(reason);

    private static string WaitEvent(string reason) => "Waiting: " + reason;

    /// <summary>Never to be written: bad content, refused by the FHIR service, or rejected in review (<paramref name="what"/> says which).</summary>
    public LedgerUnit Reject(LabFileProblem problem, DateTimeOffset at, string what = "Rejected") =>
        Move(UnitTransition.Reject, at, what) with { Problem = problem, ClaimedUntil = null };

    /// <summary>Written nothing, held for review with <paramref name="problem"/> (fields and sources, never values).</summary>
    public LedgerUnit Hold(LabFileProblem problem, DateTimeOffset at) =>
        Move(UnitTransition.Hold, at, "Held for review") with { Problem = problem, ClaimedUntil = null };

    /// <summary>Given up, kept for a replay.</summary>
    /// <param name="problem">Why, without PHI.</param>
    /// <param name="what">The event recorded in the unit's history.</param>
    /// <param name="at">When.</param>
    public LedgerUnit Fail(LabFileProblem problem, string what, DateTimeOffset at) =>
        Move(UnitTransition.Fail, at, what) with { Problem = problem, ClaimedUntil = null, NextAttemptAt = null };

    /// <summary>
    /// Re-driven: Pending again, counted, at an attempt one past any message still queued for it (so those do nothing),
    /// with a fresh retry budget.
    /// </summary>
    /// <param name="what">Who asked and why, as recorded in the history.</param>
    /// <param name="at">When.</param>
    public LedgerUnit Replay(string what, DateTimeOffset at) => Move(UnitTransition.Replay, at, what) with
    {
        Problem = null,
        ClaimedUntil = null,
        Attempt = Attempt + 1,
        NextAttemptAt = null,
        FailingSince = null,
        WaitingReason = null,
        ReplayCount = ReplayCount + 1,
    };

    /// <summary>This record, from before a replay whose message could not be queued, to be saved again as it was.</summary>
    public LedgerUnit ReplayNotQueued(DateTimeOffset at) => Move(UnitTransition.ReplayNotQueued, at, "A replay could not be queued: nothing changed");

    private LedgerUnit Move(UnitTransition transition, DateTimeOffset at, string? what = null)
    {
        var to = LedgerTransitions.UnitTarget(State, transition);
        return this with
        {
            State = to,
            UpdatedAt = at,
            History = LedgerTransitions.IsRecorded(transition) ? [.. History, new LedgerEvent(at, what ?? transition.ToString())] : History,
        };
    }
}
