using Microsoft.Extensions.Logging;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Core.Pipeline.Work;

/// <summary>
/// A unit's file was overwritten in <c>incoming/</c> after it arrived (<see cref="LabFileChangedException"/>). The content
/// that arrived is gone, so this unit can write nothing: it ends Failed with the reason (its file then reads Failed, and
/// stays out of archive and rejected, since the blob under its name is no longer its content). The new content is a new
/// file: it is handed to the arrival path, which records it under its own hash and queues its units; when the storage
/// event of the overwrite already did so, that arrival answers in progress or duplicate and nothing is done twice.
/// </summary>
public sealed class OverwrittenFileHandler(
    LabFileArrivalHandler arrival,
    ILabFileLedger ledger,
    LabFileFinisher finisher,
    TimeProvider clock,
    ILogger<OverwrittenFileHandler> logger)
{
    public const string Reason =
        "the file was overwritten after it arrived: the content this unit was split from is no longer stored, so nothing "
        + "was written for it; the new content is processed as a new arrival under its own hash";

    /// <param name="item">The unit.</param>
    /// <param name="claimed">Its ledger record, claimed by this delivery.</param>
    /// <param name="changedArea">Where other content was found: only new content in <c>incoming/</c> is an arrival.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task<WorkOutcome> EndUnitAsync(WorkItem item, LedgerUnit claimed, string changedArea, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(claimed);
        var arrived = changedArea == LabFileAreas.Incoming
            ? await arrival.HandleAsync(item.LabId, item.BlobName, item.CorrelationId, content: null, cancellationToken)
            : ArrivalOutcome.Duplicate; // only the old layout's archive/{lab}/{name} holds what a later file of that name left there: already handled

        var now = clock.GetUtcNow();
        await ledger.SaveUnitAsync(
            claimed.Fail(new LabFileProblem(SourcePosition.None, Reason), "Ended: the file was overwritten after it arrived; new content " + arrived, now),
            cancellationToken);
        PipelineLog.UnitOfOverwrittenFile(logger, item.UnitIndex, item.FileId, arrived);
        await finisher.TryFinishAsync(item.FileId, cancellationToken);
        return WorkOutcome.Overwritten;
    }
}
