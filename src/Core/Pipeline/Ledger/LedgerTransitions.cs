using System.Collections.Frozen;

namespace PrecisionMed.Core.Pipeline.Ledger;

/// <summary>What may happen to a report unit's record (<see cref="LedgerUnit"/>'s methods of the same names).</summary>
public enum UnitTransition
{
    /// <summary>One delivery of the unit's work item takes it for <see cref="PipelineOptions.UnitClaim"/>.</summary>
    Claim,

    /// <summary>The claiming delivery failed in a way the queue's retry handles: the claim is given back at once.</summary>
    Release,
    Complete,

    /// <summary>The first deferral of a run (a transient FHIR failure, or a VCF waiting for its manifest).</summary>
    Wait,

    /// <summary>A further deferral in the same run of transient failures: not recorded, so a day of retries stays one event.</summary>
    WaitAgain,
    Reject,
    Hold,
    Fail,
    Replay,

    /// <summary>A replay whose work item could not be queued: the record as it was before the replay, saved again.</summary>
    ReplayNotQueued,
}

/// <summary>What may happen to a lab file's record (<see cref="LedgerFile"/>'s methods of the same names).</summary>
public enum FileTransition
{
    Split,
    Complete,
    Reject,
    Hold,
    Fail,

    /// <summary>Units of the file are re-driven: the file is in flight again.</summary>
    Replay,

    /// <summary>A replay's work items could not be queued: back to the state the replay found (<see cref="LedgerTransitions.FileTarget"/>).</summary>
    ReplayNotQueued,

    /// <summary>A file that failed at arrival runs its arrival again.</summary>
    ReplayArrival,

    /// <summary>The same content arrived again (under any name): counted and copied where the first went; the state stays.</summary>
    Duplicate,
}

/// <summary>
/// The ledger's state machine: every allowed (state, transition) and the state it leads to. The records' transition
/// methods are the only writers of <see cref="LedgerFile.State"/> and <see cref="LedgerUnit.State"/>, and they go
/// through <see cref="UnitTarget"/> and <see cref="FileTarget"/>; anything not listed throws
/// <see cref="LedgerTransitionException"/> rather than writing a state nobody meant.
/// </summary>
public static class LedgerTransitions
{
    private static readonly UnitState[] AnyUnitState = Enum.GetValues<UnitState>();
    private static readonly FileState[] AnyFileState = Enum.GetValues<FileState>();

    /// <summary>The unit table: from-states per transition, and where each leads (null: the state stays).</summary>
    private static readonly (UnitTransition Transition, UnitState[] From, UnitState? To)[] UnitRows =
    [
        // Every state: Pending and Waiting are the usual; Processing once its claim lapsed or a newer message takes it over;
        // Held when review releases it (or its message is delivered again, which checks the patient again); Rejected,
        // Failed and Completed (of other content) when a copy of the message at the unit's attempt is delivered again.
        (UnitTransition.Claim, AnyUnitState, UnitState.Processing),
        (UnitTransition.Release, [UnitState.Processing], UnitState.Pending),
        (UnitTransition.Complete, [UnitState.Processing], UnitState.Completed),
        (UnitTransition.Wait, [UnitState.Processing], UnitState.Waiting),
        (UnitTransition.WaitAgain, [UnitState.Processing], UnitState.Waiting),

        // Held: rejected in review.
        (UnitTransition.Reject, [UnitState.Processing, UnitState.Held], UnitState.Rejected),
        (UnitTransition.Hold, [UnitState.Processing], UnitState.Held),

        // Processing: given up by the delivery holding it; the others: by the poison queue, for a unit no delivery finished.
        (UnitTransition.Fail, [UnitState.Pending, UnitState.Processing, UnitState.Waiting, UnitState.Failed], UnitState.Failed),
        (UnitTransition.Replay, [UnitState.Failed, UnitState.Held, UnitState.Waiting], UnitState.Pending),
        (UnitTransition.ReplayNotQueued, [UnitState.Failed, UnitState.Held, UnitState.Waiting], null),
    ];

    /// <summary>The file table, as <see cref="UnitRows"/>. Received shows up in most rows because a worker may finish a file before arrival records Split.</summary>
    private static readonly (FileTransition Transition, FileState[] From, FileState? To)[] FileRows =
    [
        (FileTransition.Split, [FileState.Received], FileState.Split),
        (FileTransition.Complete, [FileState.Received, FileState.Split, FileState.Held, FileState.Failed], FileState.Completed),

        // Completed: a VCF manifest recorded before, arriving again under a name that is not its VCF's.
        (FileTransition.Reject, [FileState.Received, FileState.Split, FileState.Held, FileState.Failed, FileState.Completed], FileState.Rejected),
        (FileTransition.Hold, [FileState.Received, FileState.Split, FileState.Failed], FileState.Held),
        (FileTransition.Fail, [FileState.Received, FileState.Split, FileState.Held], FileState.Failed),

        // Every state: a replay follows its units, and a unit delivered again after its file finished may need one.
        (FileTransition.Replay, AnyFileState, FileState.Split),
        (FileTransition.ReplayNotQueued, [FileState.Split], null),
        (FileTransition.ReplayArrival, [FileState.Failed], FileState.Received),
        (FileTransition.Duplicate, [FileState.Split, FileState.Completed, FileState.Rejected, FileState.Held, FileState.Failed], null),
    ];

    private static readonly FrozenDictionary<(UnitState, UnitTransition), UnitState> Units =
        UnitRows.SelectMany(r => r.From.Select(from => KeyValuePair.Create((from, r.Transition), r.To ?? from))).ToFrozenDictionary();

    private static readonly FrozenDictionary<(FileState, FileTransition), FileState> Files =
        FileRows.SelectMany(r => r.From.Select(from => KeyValuePair.Create((from, r.Transition), r.To ?? from))).ToFrozenDictionary();

    /// <summary>Transitions that change who holds the unit, not what became of it: kept out of its history, which every delivery would otherwise grow.</summary>
    private static readonly FrozenSet<UnitTransition> Unrecorded = [UnitTransition.Claim, UnitTransition.Release, UnitTransition.WaitAgain];

    /// <summary>Whether the unit's history records the transition (one event each time), or only its fields show it.</summary>
    public static bool IsRecorded(UnitTransition transition) => !Unrecorded.Contains(transition);

    /// <summary>The states <paramref name="transition"/> may leave.</summary>
    public static IEnumerable<UnitState> From(UnitTransition transition) => Units.Keys.Where(k => k.Item2 == transition).Select(k => k.Item1).Order();

    /// <inheritdoc cref="From(UnitTransition)"/>
    public static IEnumerable<FileState> From(FileTransition transition) => Files.Keys.Where(k => k.Item2 == transition).Select(k => k.Item1).Order();

    /// <summary>Where <paramref name="transition"/> leads a unit in <paramref name="from"/>.</summary>
    /// <exception cref="LedgerTransitionException">The table does not allow it.</exception>
    public static UnitState UnitTarget(UnitState from, UnitTransition transition) =>
        Units.TryGetValue((from, transition), out var to) ? to : throw new LedgerTransitionException(nameof(LedgerUnit), from.ToString(), transition.ToString());

    /// <summary>
    /// Where <paramref name="transition"/> leads a file in <paramref name="from"/>. <see cref="FileTransition.ReplayNotQueued"/>
    /// leads back to <paramref name="replayedFrom"/>, the state the undone replay found: one that a replay leaves.
    /// </summary>
    /// <exception cref="LedgerTransitionException">The table does not allow it.</exception>
    public static FileState FileTarget(FileState from, FileTransition transition, FileState? replayedFrom = null)
    {
        if (!Files.TryGetValue((from, transition), out var to)) throw new LedgerTransitionException(nameof(LedgerFile), from.ToString(), transition.ToString());
        if (transition != FileTransition.ReplayNotQueued) return to;
        return replayedFrom is { } back && Files.TryGetValue((back, FileTransition.Replay), out var replayedTo) && replayedTo == from
            ? back
            : throw new LedgerTransitionException(nameof(LedgerFile), from.ToString(), $"{transition} back to {replayedFrom?.ToString() ?? "no state"}");
    }
}
