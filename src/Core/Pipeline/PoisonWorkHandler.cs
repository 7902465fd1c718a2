using Microsoft.Extensions.Logging;
using PrecisionMed.Core.Formats;
using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Core.Pipeline;

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

        var problem = new LabFileProblem(SourcePosition.None,
            "processing failed on every delivery attempt the queue allows; the FHIR service or storage was "
            + $"unavailable or the unit could not be read. Correlation id {item.CorrelationId}; replay once the cause is fixed");
        await finisher.WriteUnitErrorAsync(item, problem, cancellationToken);
        var now = clock.GetUtcNow();
        await ledger.SaveUnitAsync(
            unit with { State = UnitState.Failed, Problem = problem, UpdatedAt = now, History = [.. unit.History, new LedgerEvent(now, "Failed on every delivery attempt")] },
            cancellationToken);
        PipelineLog.UnitFailed(logger, item.UnitIndex, item.FileId, item.CorrelationId);
        await finisher.TryFinishAsync(item.FileId, cancellationToken);
        return WorkOutcome.Failed;
    }
}
