using Microsoft.Extensions.Logging;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Core.Pipeline.Review;

/// <summary>What review did to one held unit.</summary>
public sealed record ReviewedUnit(int UnitIndex, UnitState State, WorkOutcome? Outcome = null);

/// <summary>A review command that cannot be done (no such file, no held unit): the message names ids only.</summary>
public sealed class ReviewException(string message) : Exception(message);

/// <summary>
/// Resolves reports held by <see cref="PatientSafetyCheck"/> (<c>pmed review list|release|reject</c>). Release writes
/// the held report exactly as the pipeline would have (the same work handler, so withdrawals, the notification and the
/// ledger's Completed record all happen) with the patient check waived for that content; reject records the
/// reviewer's reason and lets the file finish as rejected.
/// </summary>
public sealed class ReportReview(
    ILabFileLedger ledger,
    ReviewArea area,
    ReportWorkHandler handler,
    LabFileFinisher finisher,
    TimeProvider clock,
    ILogger<ReportReview> logger)
{
    /// <summary>Every held unit waiting for review.</summary>
    public Task<IReadOnlyList<HeldReport>> ListAsync(CancellationToken cancellationToken) => area.ListAsync(cancellationToken);

    /// <summary>Releases the file's held units (or only <paramref name="unitIndex"/>): written, then Completed.</summary>
    public async Task<IReadOnlyList<ReviewedUnit>> ReleaseAsync(string fileId, int? unitIndex, CancellationToken cancellationToken)
    {
        var (file, held) = await HeldUnitsAsync(fileId, unitIndex, cancellationToken);
        var reviewed = new List<ReviewedUnit>();
        foreach (var unit in held)
        {
            // Recorded before the write: a release interrupted half-way is finished by the queue's next delivery or a replay.
            await ledger.SaveUnitAsync(unit with { ReleasedAt = clock.GetUtcNow(), UpdatedAt = clock.GetUtcNow() }, cancellationToken);
            var outcome = await handler.HandleAsync(WorkItemOf(file, unit, "release"), cancellationToken);
            ReviewLog.UnitReleased(logger, unit.UnitIndex, fileId, outcome);
            var state = (await ledger.FindUnitAsync(fileId, unit.UnitIndex, cancellationToken))?.State ?? unit.State;
            reviewed.Add(new ReviewedUnit(unit.UnitIndex, state, outcome));
        }

        await ResolveAreaAsync(file, reviewed, cancellationToken);
        return reviewed;
    }

    /// <summary>Rejects the file's held units (or only <paramref name="unitIndex"/>) with the reviewer's reason.</summary>
    /// <param name="reason">Why, in the reviewer's words: kept in the ledger and the error report, so no patient details.</param>
    public async Task<IReadOnlyList<ReviewedUnit>> RejectAsync(string fileId, int? unitIndex, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var (file, held) = await HeldUnitsAsync(fileId, unitIndex, cancellationToken);
        var reviewed = new List<ReviewedUnit>();
        foreach (var unit in held)
        {
            var problem = new LabFileProblem(unit.Problem?.Position ?? SourcePosition.None, $"{unit.Problem?.Reason}; rejected in review: {reason.Trim()}");
            await finisher.WriteUnitErrorAsync(WorkItemOf(file, unit, "reject"), problem, cancellationToken);
            await ledger.SaveUnitAsync(unit.Reject(problem, clock.GetUtcNow(), "Rejected in review"), cancellationToken);
            ReviewLog.UnitRejectedInReview(logger, unit.UnitIndex, fileId);
            reviewed.Add(new ReviewedUnit(unit.UnitIndex, UnitState.Rejected));
        }

        await finisher.TryFinishAsync(fileId, cancellationToken);
        await ResolveAreaAsync(file, reviewed, cancellationToken);
        return reviewed;
    }

    private async Task<(LedgerFile File, IReadOnlyList<LedgerUnit> Held)> HeldUnitsAsync(string fileId, int? unitIndex, CancellationToken cancellationToken)
    {
        var file = await ledger.FindFileAsync(fileId, cancellationToken) ?? throw new ReviewException($"File {fileId} is not in the ledger.");
        var held = (await ledger.ListUnitsAsync(fileId, cancellationToken))
            .Where(u => u.State == UnitState.Held && (unitIndex is null || u.UnitIndex == unitIndex))
            .OrderBy(u => u.UnitIndex)
            .ToList();
        if (held.Count == 0)
        {
            throw new ReviewException(unitIndex is { } index
                ? $"Unit {index + 1} of file {fileId} is not held."
                : $"File {fileId} has no held unit.");
        }

        return (file, held);
    }

    private async Task ResolveAreaAsync(LedgerFile file, IReadOnlyList<ReviewedUnit> reviewed, CancellationToken cancellationToken)
    {
        var units = await ledger.ListUnitsAsync(file.FileId, cancellationToken);
        var anyHeld = units.Any(u => u.State == UnitState.Held);
        var anyRejected = units.Any(u => u.State == UnitState.Rejected);
        foreach (var unit in reviewed.Where(r => r.State != UnitState.Held))
            await area.ResolveAsync(file.FileId, file.LabId, file.ContentHash, file.BlobName, unit.UnitIndex, anyHeld, anyRejected, cancellationToken);
    }

    /// <summary>
    /// The unit's work item as the arrival handler queued it, at the unit's attempt (a replay or a deferral raised it; an
    /// older attempt would be taken for a stale copy); the correlation id says it came from review.
    /// </summary>
    private static WorkItem WorkItemOf(LedgerFile file, LedgerUnit unit, string action) => new(
        file.FileId, file.LabId, file.ContentHash, file.Format, unit.UnitIndex, file.UnitCount,
        $"review-{action}:{file.FileId}:{unit.UnitIndex}", file.ReceivedAt, Attempt: unit.Attempt)
    {
        BlobName = file.BlobName,
    };
}
