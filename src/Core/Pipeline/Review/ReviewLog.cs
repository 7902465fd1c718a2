using Microsoft.Extensions.Logging;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Core.Pipeline.Review;

/// <summary>What patient-safety holds and their review log: ids, states and field names only (never values).</summary>
internal static partial class ReviewLog
{
    [LoggerMessage(7001, LogLevel.Warning, "Unit {UnitIndex} of file {FileId} from lab {LabId} held for review: patient {Fields} disagree with the existing Patient; nothing written")]
    public static partial void UnitHeld(ILogger logger, int unitIndex, string fileId, string labId, string fields);

    [LoggerMessage(7010, LogLevel.Warning, "Unit {UnitIndex} of file {FileId} from lab {LabId} held for review: the patient identifier matches {Patients} Patients; report not completed")]
    public static partial void UnitHeldForMultipleMatches(ILogger logger, int unitIndex, string fileId, string labId, int patients);

    [LoggerMessage(7011, LogLevel.Information, "Unit {UnitIndex} of file {FileId}: the Patient's conditional create was refused with HTTP 412 (attempt {Attempt}); the identifier now matches {Patients} Patient(s): writing again")]
    public static partial void ConditionalCreateRefused(ILogger logger, int unitIndex, string fileId, int patients, int attempt);

    [LoggerMessage(7002, LogLevel.Information, "Held unit {UnitIndex} of file {FileId} released by review: {Outcome}")]
    public static partial void UnitReleased(ILogger logger, int unitIndex, string fileId, WorkOutcome outcome);

    [LoggerMessage(7003, LogLevel.Information, "Held unit {UnitIndex} of file {FileId} rejected by review")]
    public static partial void UnitRejectedInReview(ILogger logger, int unitIndex, string fileId);

    [LoggerMessage(7012, LogLevel.Warning, "Unit {UnitIndex} of file {FileId} from lab {LabId} held for review: its accession was reported before for another patient; nothing written")]
    public static partial void UnitHeldForAnotherPatient(ILogger logger, int unitIndex, string fileId, string labId);

    [LoggerMessage(7013, LogLevel.Warning, "Unit {UnitIndex} of file {FileId} from lab {LabId} held for review: no source states the VCF sample column's patient; nothing written")]
    public static partial void UnitHeldWithoutIdentity(ILogger logger, int unitIndex, string fileId, string labId);

    [LoggerMessage(7014, LogLevel.Information, "Unit {UnitIndex} of file {FileId} waits for its VCF manifest: checked again in {DelaySeconds} s or when the manifest arrives")]
    public static partial void UnitWaitingForManifest(ILogger logger, int unitIndex, string fileId, double delaySeconds);

    [LoggerMessage(7015, LogLevel.Information, "A VCF manifest of lab {LabId} arrived as file {FileId}; {Units} waiting unit(s) of its VCF queued again")]
    public static partial void ManifestArrived(ILogger logger, string labId, string fileId, int units);
}
