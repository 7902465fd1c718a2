using Microsoft.Extensions.Logging;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Core.Pipeline;

/// <summary>
/// Everything the pipeline logs. Ids, states and counts only: no blob names (labs put patient
/// names in them), no content, no identifiers.
/// </summary>
internal static partial class PipelineLog
{
    [LoggerMessage(1001, LogLevel.Information, "File {FileId} from lab {LabId}: {Format}, {UnitCount} report unit(s) queued")]
    public static partial void FileQueued(ILogger logger, string fileId, string labId, LabFileFormat format, int unitCount);

    [LoggerMessage(1002, LogLevel.Information, "File {FileId} from lab {LabId} arrived again (state {State}): nothing rewritten")]
    public static partial void DuplicateFile(ILogger logger, string fileId, string labId, FileState state);

    [LoggerMessage(1003, LogLevel.Warning, "File {FileId} from lab {LabId} rejected at {Position}")]
    public static partial void FileRejected(ILogger logger, string fileId, string labId, string position);

    [LoggerMessage(1005, LogLevel.Error, "File {FileId} from lab {LabId} failed at arrival on every attempt: recorded as Failed, kept in incoming/ for replay")]
    public static partial void ArrivalFailed(ILogger logger, string fileId, string labId);

    [LoggerMessage(1006, LogLevel.Error, "A blob-trigger poison message that names no incoming/ blob was dropped ({Length} characters)")]
    public static partial void MalformedArrivalPoison(ILogger logger, int length);

    [LoggerMessage(1007, LogLevel.Information, "A poisoned arrival of lab {LabId} is no longer in incoming/: nothing to record")]
    public static partial void ArrivalPoisonGone(ILogger logger, string labId);

    [LoggerMessage(1004, LogLevel.Information, "File {FileId} finished as {State}: {Completed} of {UnitCount} unit(s) completed")]
    public static partial void FileFinished(ILogger logger, string fileId, FileState state, int completed, int unitCount);

    [LoggerMessage(2001, LogLevel.Information, "Unit {UnitIndex} of file {FileId} written: {ResourceCount} resource(s) in {BundleCount} transaction(s)")]
    public static partial void UnitCompleted(ILogger logger, int unitIndex, string fileId, int resourceCount, int bundleCount);

    [LoggerMessage(2002, LogLevel.Information, "Unit {UnitIndex} of file {FileId} was already completed for this content: skipped")]
    public static partial void UnitAlreadyCompleted(ILogger logger, int unitIndex, string fileId);

    [LoggerMessage(2003, LogLevel.Warning, "Unit {UnitIndex} of file {FileId} rejected at {Position}")]
    public static partial void UnitRejected(ILogger logger, int unitIndex, string fileId, string position);

    [LoggerMessage(2004, LogLevel.Error, "Unit {UnitIndex} of file {FileId} failed on every delivery attempt; correlation {CorrelationId}")]
    public static partial void UnitFailed(ILogger logger, int unitIndex, string fileId, string correlationId);

    [LoggerMessage(2005, LogLevel.Error, "A queue message that is not a work item was dropped ({Length} characters)")]
    public static partial void MalformedWorkItem(ILogger logger, int length);

    [LoggerMessage(2009, LogLevel.Error, "A work item for unit {UnitIndex} of file {FileId}, which the ledger does not hold, was dropped")]
    public static partial void WorkItemOfUnknownFile(ILogger logger, int unitIndex, string fileId);

    [LoggerMessage(2006, LogLevel.Warning, "The original of file {FileId} is in neither incoming nor archive: cannot process unit {UnitIndex}")]
    public static partial void OriginalMissing(ILogger logger, string fileId, int unitIndex);

    [LoggerMessage(2007, LogLevel.Information, "Unit {UnitIndex} of file {FileId} re-sent a report: {Count} result(s) it no longer carries set to entered-in-error")]
    public static partial void ResultsWithdrawn(ILogger logger, int unitIndex, string fileId, int count);

    [LoggerMessage(2008, LogLevel.Information, "Unit {UnitIndex} of file {FileId} is held by another delivery of its work item: this one wrote nothing")]
    public static partial void UnitClaimedElsewhere(ILogger logger, int unitIndex, string fileId);

    [LoggerMessage(2030, LogLevel.Warning, "Unit {UnitIndex} of file {FileId} ended: the file was overwritten after it arrived; its new content: {Arrival}")]
    public static partial void UnitOfOverwrittenFile(ILogger logger, int unitIndex, string fileId, ArrivalOutcome arrival);

    [LoggerMessage(2010, LogLevel.Warning, "Unit {UnitIndex} of file {FileId} waits: {Reason}; attempt {Attempt} in {DelaySeconds:F1} s, failing for {FailingSeconds:F0} s")]
    public static partial void UnitWaiting(ILogger logger, int unitIndex, string fileId, string reason, int attempt, double delaySeconds, double failingSeconds);

    [LoggerMessage(2011, LogLevel.Information, "A stale copy (attempt {Attempt}) of the work item of unit {UnitIndex} of file {FileId} was dropped: attempt {Current} is queued")]
    public static partial void StaleWorkItem(ILogger logger, int unitIndex, string fileId, int attempt, int current);

    [LoggerMessage(2012, LogLevel.Error, "Unit {UnitIndex} of file {FileId} failed: {Reason} for longer than the retry budget; correlation {CorrelationId}")]
    public static partial void RetryBudgetExhausted(ILogger logger, int unitIndex, string fileId, string reason, string correlationId);
}
