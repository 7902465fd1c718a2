using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Core.Pipeline.Reinterpretation;

/// <summary>
/// The ledger record of one reinterpretation work item (one report for one diff, in one run): kept beside the lab files'
/// records, partitioned by run, so a run's progress is one single-partition read. Its states and their changes are the
/// report units' (<see cref="LedgerTransitions"/>: Pending, claimed as Processing, Completed, Failed, replayed): the same
/// table allows what may happen, and an illegal move throws. It holds FHIR references (to re-queue the item on a replay),
/// never a value; the status answer counts records and shows none of them.
/// </summary>
public sealed record ReinterpretationRecord
{
    public required string RunId { get; init; }

    /// <summary>Deterministic per (diff, patient, report): two runs of the same item are two records, one run's duplicates one.</summary>
    public required string ItemId { get; init; }

    public required string DiffId { get; init; }

    /// <summary><c>Patient/id</c>: the work item's, to queue it again on a replay.</summary>
    public required string Patient { get; init; }

    /// <summary><c>DiagnosticReport/id</c>.</summary>
    public required string Report { get; init; }

    public UnitState State { get; init; }

    /// <summary>The number of the work item message that may process it (the first is 1; each replay queues the next).</summary>
    public int Attempt { get; init; }

    /// <summary>Deliveries that claimed it since it was last queued (the queue's redeliveries included).</summary>
    public int Deliveries { get; init; }

    /// <summary>While <see cref="UnitState.Processing"/>: when the claim lapses.</summary>
    public DateTimeOffset? ClaimedUntil { get; init; }

    /// <summary>What the completing delivery did: implications written, found done, Tasks written.</summary>
    public int Amended { get; init; }

    public int AlreadyDone { get; init; }

    public int TasksAmended { get; init; }

    /// <summary>Why the last delivery failed, or why it was given up: an exception type or a category, no content.</summary>
    public string? Problem { get; init; }

    /// <summary>Given up by the poison queue (every delivery the queue allows failed).</summary>
    public bool Poisoned { get; init; }

    public int ReplayCount { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public IReadOnlyList<LedgerEvent> History { get; init; } = [];

    /// <summary>The stored version this record was read as (never serialised): a save succeeds only on it.</summary>
    [JsonIgnore]
    public string? ETag { get; init; }

    public static string ItemIdOf(string diffId, string patient, string report) =>
        "ri-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{diffId}|{patient}|{report}")))[..24];

    /// <summary>A work item just queued by a run.</summary>
    public static ReinterpretationRecord Pending(ReinterpretationWorkItem item, DateTimeOffset at) => new()
    {
        RunId = item.CorrelationId,
        ItemId = ItemIdOf(item.DiffId, item.Patient, item.Report),
        DiffId = item.DiffId,
        Patient = item.Patient,
        Report = item.Report,
        State = UnitState.Pending,
        Attempt = item.Attempt,
        UpdatedAt = at,
        History = [new LedgerEvent(at, "Queued")],
    };

    /// <summary>The work item that processes it now (after a replay: the next attempt's).</summary>
    public ReinterpretationWorkItem WorkItem() => new(DiffId, Patient, Report, RunId, Attempt);

    public ReinterpretationRecord Claim(DateTimeOffset until, DateTimeOffset at) =>
        Move(UnitTransition.Claim, at) with { ClaimedUntil = until, Deliveries = Deliveries + 1 };

    /// <summary>The delivery failed and the queue will retry it: the claim is given back at once, the reason kept.</summary>
    public ReinterpretationRecord Release(string problem, DateTimeOffset at) =>
        Move(UnitTransition.Release, at) with { ClaimedUntil = null, Problem = problem };

    public ReinterpretationRecord Complete(ReinterpretationOutcome outcome, DateTimeOffset at) =>
        Move(UnitTransition.Complete, at, $"Completed: {outcome.Amended} implication(s) and {outcome.TasksAmended} Task(s) amended, {outcome.AlreadyDone} found done") with
        {
            ClaimedUntil = null,
            Problem = null,
            Amended = outcome.Amended,
            AlreadyDone = outcome.AlreadyDone,
            TasksAmended = outcome.TasksAmended,
        };

    /// <summary>Given up (the poison queue, or the delivery bound), kept for a replay.</summary>
    public ReinterpretationRecord Fail(string problem, bool poisoned, DateTimeOffset at) =>
        Move(UnitTransition.Fail, at, poisoned ? "Failed on every delivery the queue allows" : "Failed: " + problem) with
        {
            ClaimedUntil = null,
            Problem = problem,
            Poisoned = poisoned,
        };

    /// <summary>Queued again by an operator: Pending at the next attempt, so copies of older messages do nothing.</summary>
    public ReinterpretationRecord Replay(string what, DateTimeOffset at) => Move(UnitTransition.Replay, at, what) with
    {
        Attempt = Attempt + 1,
        Deliveries = 0,
        ClaimedUntil = null,
        Problem = null,
        Poisoned = false,
        ReplayCount = ReplayCount + 1,
    };

    private ReinterpretationRecord Move(UnitTransition transition, DateTimeOffset at, string? what = null)
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

/// <summary>How far one run got, counted from its records: no report, patient or value.</summary>
/// <param name="Queued">Work items the run queued (its records).</param>
/// <param name="Amended">Completed items that wrote a new version of at least one implication or Task.</param>
/// <param name="Unchanged">Completed items that wrote nothing (found done, or nothing the diff changes any more).</param>
/// <param name="Failed">Given up without the poison queue (kept for a replay).</param>
/// <param name="Poisoned">Given up by the poison queue (kept for a replay).</param>
/// <param name="Remaining">Not finished yet: queued or being processed.</param>
public sealed record ReinterpretationProgress(int Queued, int Amended, int Unchanged, int Failed, int Poisoned, int Remaining)
{
    public static ReinterpretationProgress Of(IReadOnlyCollection<ReinterpretationRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        int amended = 0, unchanged = 0, failed = 0, poisoned = 0, remaining = 0;
        foreach (var record in records)
        {
            switch (record.State)
            {
                case UnitState.Completed when record.Amended + record.TasksAmended > 0: amended++; break;
                case UnitState.Completed: unchanged++; break;
                case UnitState.Failed when record.Poisoned: poisoned++; break;
                case UnitState.Failed: failed++; break;
                default: remaining++; break;
            }
        }

        return new ReinterpretationProgress(records.Count, amended, unchanged, failed, poisoned, remaining);
    }
}
