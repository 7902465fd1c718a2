using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Core.Pipeline.Reinterpretation;

/// <summary>
/// One message of the <c>reinterpretations</c> queue (the queue-triggered function calls it), with the pipeline's
/// exactly-once rules: the item's ledger record (<see cref="ReinterpretationRecord"/>) is claimed by ETag compare-and-swap
/// for <see cref="PipelineOptions.UnitClaim"/>, so of two deliveries only one works; a completed item is not worked again;
/// a copy of a message older than the last replay does nothing. An exception releases the claim, keeps its kind on the
/// record and makes the queue redeliver; after host.json's <c>maxDequeueCount</c> the message goes to
/// <c>reinterpretations-poison</c> (<see cref="ReinterpretationPoisonHandler"/> records it Failed), and a record claimed
/// <see cref="MaxDeliveries"/> times is failed rather than tried again. An unreadable message is not retried.
/// </summary>
public sealed partial class ReinterpretationWorkHandler(
    ReportReinterpreter reinterpreter,
    IReinterpretationLedger ledger,
    IOptions<PipelineOptions> options,
    TimeProvider clock,
    ILogger<ReinterpretationWorkHandler> logger)
{
    /// <summary>Deliveries one queuing of an item may take (the queue poisons at 5; duplicates and lapsed claims add some).</summary>
    public const int MaxDeliveries = 10;

    public async Task<ReinterpretationOutcome> HandleAsync(string message, CancellationToken cancellationToken)
    {
        if (ReinterpretationWorkItem.TryParse(message) is not { } item)
        {
            LogUnreadable(logger);
            return ReinterpretationOutcome.Nothing;
        }

        var now = clock.GetUtcNow();
        var record = await ledger.FindAsync(item.CorrelationId, ReinterpretationRecord.ItemIdOf(item.DiffId, item.Patient, item.Report), cancellationToken)
            ?? ReinterpretationRecord.Pending(item, now); // queued before records were kept, or by hand: recorded from here on
        if (record.State == UnitState.Completed)
        {
            LogAlreadyDone(logger, item.DiffId, item.CorrelationId);
            return new ReinterpretationOutcome(0, record.Amended + record.AlreadyDone, 0, 0, 0);
        }

        if (item.Attempt < record.Attempt || (record.State == UnitState.Failed && item.Attempt == record.Attempt))
        {
            // A replay queued a newer message (this is a stale copy), or this message's item was given up: it decides nothing.
            LogStale(logger, item.DiffId, item.CorrelationId);
            return ReinterpretationOutcome.Nothing;
        }

        if (record.State == UnitState.Processing && record.ClaimedUntil > now)
        {
            LogClaimedElsewhere(logger, item.DiffId, item.CorrelationId);
            return ReinterpretationOutcome.Nothing;
        }

        if (record.Deliveries >= MaxDeliveries)
        {
            await TrySaveAsync(record.Fail($"claimed {record.Deliveries} times without completing", poisoned: false, now), cancellationToken);
            return ReinterpretationOutcome.Nothing;
        }

        try
        {
            record = await ledger.SaveAsync(record.Claim(now + options.Value.UnitClaim, now), cancellationToken);
        }
        catch (ReinterpretationConflictException)
        {
            LogClaimedElsewhere(logger, item.DiffId, item.CorrelationId);
            return ReinterpretationOutcome.Nothing;
        }

        ReinterpretationOutcome outcome;
        try
        {
            outcome = await reinterpreter.ReinterpretAsync(item, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The claim is given back so that the queue's retry of this message takes the item at once.
            await TrySaveAsync(record.Release(ex.GetType().Name, clock.GetUtcNow()), cancellationToken);
            throw;
        }

        await TrySaveAsync(record.Complete(outcome, clock.GetUtcNow()), cancellationToken);
        LogDone(logger, item.DiffId, item.CorrelationId, outcome.Amended, outcome.AlreadyDone, outcome.TasksAmended, outcome.Notified, outcome.Recorded);
        return outcome;
    }

    /// <summary>A save that lost a race (a lapsed claim another delivery took over) leaves the record to that delivery.</summary>
    private async Task TrySaveAsync(ReinterpretationRecord record, CancellationToken cancellationToken)
    {
        try
        {
            await ledger.SaveAsync(record, cancellationToken);
        }
        catch (ReinterpretationConflictException)
        {
            LogClaimedElsewhere(logger, record.DiffId, record.RunId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A reinterpretation message is not a work item; dropped")]
    private static partial void LogUnreadable(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reinterpreted for diff {DiffId} (correlation {CorrelationId}): {Amended} amended, {AlreadyDone} already done, {Tasks} Task(s) amended, {Notified} notified, {Recorded} recorded")]
    private static partial void LogDone(ILogger logger, string diffId, string correlationId, int amended, int alreadyDone, int tasks, int notified, int recorded);

    [LoggerMessage(Level = LogLevel.Information, Message = "A reinterpretation for diff {DiffId} (correlation {CorrelationId}) was completed by an earlier delivery; nothing done")]
    private static partial void LogAlreadyDone(ILogger logger, string diffId, string correlationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "A reinterpretation for diff {DiffId} (correlation {CorrelationId}) is claimed by another delivery; left to it")]
    private static partial void LogClaimedElsewhere(ILogger logger, string diffId, string correlationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "A stale reinterpretation message for diff {DiffId} (correlation {CorrelationId}): a newer one was queued, or it was given up; nothing done")]
    private static partial void LogStale(ILogger logger, string diffId, string correlationId);
}
