using Microsoft.Extensions.Logging;

namespace PrecisionMed.Core.Pipeline.Reinterpretation;

/// <summary>
/// A reinterpretation the queue gave up on: logged with its diff and correlation id (no report or patient: the log is
/// PHI-free). The next <c>pmed knowledge reinterpret --since</c> of the same version finds the report again: every step
/// is idempotent, so re-queuing it is the replay.
/// </summary>
public sealed partial class ReinterpretationPoisonHandler(ILogger<ReinterpretationPoisonHandler> logger)
{
    public Task HandleAsync(string message, CancellationToken cancellationToken)
    {
        var item = ReinterpretationWorkItem.TryParse(message);
        LogFailed(logger, item?.DiffId ?? "(unreadable)", item?.CorrelationId ?? "-");
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A reinterpretation for diff {DiffId} (correlation {CorrelationId}) failed after every retry; run pmed knowledge reinterpret again to replay it")]
    private static partial void LogFailed(ILogger logger, string diffId, string correlationId);
}
