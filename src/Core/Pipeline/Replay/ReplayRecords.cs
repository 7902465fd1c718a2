using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Core.Pipeline.Replay;

/// <summary>
/// Who asked for a replay and why, recorded in each replayed unit's history. <paramref name="RequestedBy"/> names the
/// channel (e.g. "operator via pmed", "API"); <paramref name="Reason"/> is free text for a ticket number or the cause
/// fixed, never PHI (it is kept to one line of <see cref="MaxReasonLength"/> characters).
/// </summary>
public sealed record ReplayRequest(string RequestedBy, string? Reason, string CorrelationId)
{
    public const int MaxReasonLength = 200;
}

public enum ReplayOutcome
{
    /// <summary>At least one unit was reset and queued again.</summary>
    Replayed,
    NotFound,

    /// <summary>No unit is in a replayable state (see <see cref="LabFileReplayer.ReplayableStates"/>).</summary>
    NothingToReplay,

    /// <summary>Replayable units exist but none could be replayed: the replay bound is reached or another replay won.</summary>
    Refused,
}

public enum UnitReplayOutcome
{
    Replayed,

    /// <summary>Already replayed <see cref="PipelineOptions.MaxReplays"/> times.</summary>
    LimitReached,

    /// <summary>Another replay or delivery changed the unit between read and reset: this replay queued nothing for it.</summary>
    Conflict,
}

/// <summary>What a replay did to one unit that was in a replayable state.</summary>
public sealed record UnitReplay(int UnitIndex, UnitState WasState, UnitReplayOutcome Outcome, int ReplayCount, string Message);

/// <summary>What a replay did to one file: ids, states, counts and reasons only.</summary>
public sealed record FileReplay(string FileId, ReplayOutcome Outcome, IReadOnlyList<UnitReplay> Units, string Message)
{
    public int ReplayedCount => Units.Count(u => u.Outcome == UnitReplayOutcome.Replayed);
}
