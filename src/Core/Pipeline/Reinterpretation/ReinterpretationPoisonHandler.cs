using Microsoft.Extensions.Logging;
using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Core.Pipeline.Reinterpretation;

/// <summary>
/// A reinterpretation the queue gave up on (<c>reinterpretations-poison</c>, the message as the queue held it): its
/// ledger record is set Failed and marked poisoned, so the run's status counts it and
/// <c>pmed knowledge reinterpret --replay-poisoned</c> queues it again (<see cref="ReinterpretationReplayer"/>). Logged
/// with its diff and correlation id only (no report or patient: the log is PHI-free). A stale copy (the item completed,
/// or replayed since) changes nothing.
/// </summary>
public sealed partial class ReinterpretationPoisonHandler(IReinterpretationLedger ledger, TimeProvider clock, ILogger<ReinterpretationPoisonHandler> logger)
{
    public const string PoisonedProblem = "failed on every delivery the queue allows (the FHIR service or the stores unavailable, or an implication changing under it)";

    public async Task HandleAsync(string message, CancellationToken cancellationToken)
    {
        if (ReinterpretationWorkItem.TryParse(message) is not { } item)
        {
            LogUnreadable(logger, message.Length);
            return;
        }

        var now = clock.GetUtcNow();
        for (var tries = 0; tries < 3; tries++)
        {
            var record = await ledger.FindAsync(item.CorrelationId, ReinterpretationRecord.ItemIdOf(item.DiffId, item.Patient, item.Report), cancellationToken)
                ?? ReinterpretationRecord.Pending(item, now);
            if (record.State == UnitState.Completed || item.Attempt < record.Attempt || (record.State == UnitState.Failed && record.Poisoned)) return;
            try
            {
                await ledger.SaveAsync(record.Fail(PoisonedProblem, poisoned: true, now), cancellationToken);
                LogFailed(logger, item.DiffId, item.CorrelationId);
                return;
            }
            catch (ReinterpretationConflictException)
            {
                // A delivery still held it (its claim lapsing as the poison message was handled): read it again.
            }
        }

        throw new ReinterpretationConflictException(item.CorrelationId, ReinterpretationRecord.ItemIdOf(item.DiffId, item.Patient, item.Report));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A reinterpretation for diff {DiffId} (correlation {CorrelationId}) failed after every retry; recorded Failed, replay with pmed knowledge reinterpret --replay-poisoned")]
    private static partial void LogFailed(ILogger logger, string diffId, string correlationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "A poisoned reinterpretation message of {Length} characters is not a work item; nothing to record")]
    private static partial void LogUnreadable(ILogger logger, int length);
}
