using Microsoft.Extensions.Logging;

namespace PrecisionMed.Core.Pipeline.Reinterpretation;

/// <summary>
/// One message of the <c>reinterpretations</c> queue (the queue-triggered function calls it). An exception makes the
/// queue redeliver; after host.json's <c>maxDequeueCount</c> the message goes to <c>reinterpretations-poison</c>
/// (<see cref="ReinterpretationPoisonHandler"/>). An unreadable message is not retried.
/// </summary>
public sealed partial class ReinterpretationWorkHandler(ReportReinterpreter reinterpreter, ILogger<ReinterpretationWorkHandler> logger)
{
    public async Task<ReinterpretationOutcome> HandleAsync(string message, CancellationToken cancellationToken)
    {
        if (ReinterpretationWorkItem.TryParse(message) is not { } item)
        {
            LogUnreadable(logger);
            return ReinterpretationOutcome.Nothing;
        }

        var outcome = await reinterpreter.ReinterpretAsync(item, cancellationToken);
        LogDone(logger, item.DiffId, item.CorrelationId, outcome.Amended, outcome.AlreadyDone, outcome.Notified, outcome.Recorded);
        return outcome;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A reinterpretation message is not a work item; dropped")]
    private static partial void LogUnreadable(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reinterpreted for diff {DiffId} (correlation {CorrelationId}): {Amended} amended, {AlreadyDone} already done, {Notified} notified, {Recorded} recorded")]
    private static partial void LogDone(ILogger logger, string diffId, string correlationId, int amended, int alreadyDone, int notified, int recorded);
}
