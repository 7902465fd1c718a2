using Microsoft.Extensions.Logging;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Core.Pipeline.Work;

/// <summary>
/// A work item the queue gave up on (<c>lab-reports-poison</c>): mark the unit Failed with the
/// reason, write its error report, and leave the original in <c>incoming/</c> for a replay.
/// </summary>
public sealed class PoisonWorkHandler(
    ILabFileLedger ledger,
    LabFileFinisher finisher,
    TimeProvider clock,
    ILogger<PoisonWorkHandler> logger)
{
    public async Task<WorkOutcome> HandleAsync(string message, CancellationToken cancellationToken)
    {
        var parsed = WorkItem.TryParse(message);
        if (parsed is null)
        {
            PipelineLog.MalformedWorkItem(logger, message.Length);
            return WorkOutcome.Dropped;
        }

        if (await parsed.WithBlobNameAsync(ledger, cancellationToken) is not { } item)
        {
            PipelineLog.WorkItemOfUnknownFile(logger, parsed.UnitIndex, parsed.FileId);
            return WorkOutcome.Dropped;
        }

        var unit = await ledger.FindUnitAsync(item.FileId, item.UnitIndex, cancellationToken)
            ?? new LedgerUnit { FileId = item.FileId, UnitIndex = item.UnitIndex, ContentHash = item.ContentHash };
        // A held unit waits for review: a stale poison copy of its message must not turn it into Failed.
        if (unit.State is UnitState.Completed or UnitState.Rejected or UnitState.Held) return WorkOutcome.AlreadyCompleted;

        // A newer message of the unit is queued (a deferral or a replay): it, not this old copy, decides the unit's fate.
        if (item.Attempt < unit.Attempt)
        {
            PipelineLog.StaleWorkItem(logger, item.UnitIndex, item.FileId, item.Attempt, unit.Attempt);
            return WorkOutcome.Superseded;
        }

        var problem = new LabFileProblem(SourcePosition.None,
            "processing failed on every delivery attempt the queue allows; the FHIR service or storage was "
            + $"unavailable or the unit could not be read. Correlation id {item.CorrelationId}; replay once the cause is fixed");
        PipelineLog.UnitFailed(logger, item.UnitIndex, item.FileId, item.CorrelationId);
        return await FailAsync(item, unit, problem, "Failed on every delivery attempt", cancellationToken);
    }

    /// <summary>
    /// Gives the unit up: its error report beside the original, Failed in the ledger with <paramref name="problem"/>, and
    /// the file finished if this was its last open unit. The original stays in <c>incoming/</c> for a replay.
    /// </summary>
    /// <param name="item">The unit's work item.</param>
    /// <param name="unit">The unit as last read (its ETag guards the save).</param>
    /// <param name="problem">Why, without PHI: in the ledger and the error report.</param>
    /// <param name="what">The event recorded in the unit's history.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    public async Task<WorkOutcome> FailAsync(WorkItem item, LedgerUnit unit, LabFileProblem problem, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(unit);
        await finisher.WriteUnitErrorAsync(item, problem, cancellationToken);
        var now = clock.GetUtcNow();
        await ledger.SaveUnitAsync(unit.Fail(problem, what, now), cancellationToken);
        await finisher.TryFinishAsync(item.FileId, cancellationToken);
        return WorkOutcome.Failed;
    }
}
