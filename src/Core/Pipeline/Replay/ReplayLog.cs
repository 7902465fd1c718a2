using Microsoft.Extensions.Logging;

namespace PrecisionMed.Core.Pipeline.Replay;

/// <summary>What replays log: ids and counts only (never the requester's reason, which is free text).</summary>
internal static partial class ReplayLog
{
    [LoggerMessage(2101, LogLevel.Information, "Unit {UnitIndex} of file {FileId} replayed ({ReplayCount} of at most {MaxReplays}); correlation {CorrelationId}")]
    public static partial void UnitReplayed(ILogger logger, int unitIndex, string fileId, int replayCount, int maxReplays, string correlationId);

    [LoggerMessage(2102, LogLevel.Warning, "Unit {UnitIndex} of file {FileId} not replayed: already replayed {ReplayCount} time(s), Pipeline:MaxReplays is {MaxReplays}")]
    public static partial void ReplayLimitReached(ILogger logger, int unitIndex, string fileId, int replayCount, int maxReplays);

    [LoggerMessage(2103, LogLevel.Information, "Unit {UnitIndex} of file {FileId} not replayed: another replay or delivery changed it first")]
    public static partial void ReplayConflict(ILogger logger, int unitIndex, string fileId);

    [LoggerMessage(2104, LogLevel.Error, "Replayed unit {UnitIndex} of file {FileId} could not be queued: put back as it was")]
    public static partial void ReplayNotQueued(ILogger logger, int unitIndex, string fileId);
}
