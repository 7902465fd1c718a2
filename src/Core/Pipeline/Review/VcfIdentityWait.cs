using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Core.Pipeline.Review;

/// <summary>
/// A VCF unit no source ties to a patient (<see cref="VcfIdentityMissingException"/>). While its manifest may still come
/// (none lies beside the file, and <see cref="PipelineOptions.VcfManifestWait"/> has not passed since the file arrived)
/// the unit waits: <see cref="UnitState.Waiting"/> with <see cref="WaitingForManifest"/>, its work item queued again
/// for when the wait ends; the manifest's arrival queues it at once (<see cref="VcfManifestArrival"/>). Otherwise the
/// unit is held for review with the reason: nothing is written, the original is kept.
/// </summary>
public sealed class VcfIdentityWait(
    IWorkItemQueue queue,
    ILabFileLedger ledger,
    PatientSafetyCheck patientSafety,
    IOptions<PipelineOptions> options,
    TimeProvider clock,
    ILogger<VcfIdentityWait> logger)
{
    /// <summary>The waiting reason of a VCF unit whose manifest has not arrived (the ledger's, and what its arrival looks for).</summary>
    public const string WaitingForManifest = "waiting for the VCF's manifest (its file name + .manifest.json)";

    public async Task<WorkOutcome> WaitOrHoldAsync(
        WorkItem item, LedgerUnit claimed, LabFileLocation original, VcfIdentityMissingException missing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(claimed);
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(missing);
        var wait = options.Value.VcfManifestWait;
        var now = clock.GetUtcNow();
        var left = item.ReceivedAt + wait - now;
        if (missing.ManifestMissing && original.Area == LabFileAreas.Incoming && left > TimeSpan.Zero)
            return await WaitAsync(item, claimed, left, now, cancellationToken);

        var reason = "held for review: " + missing.Message
            + (missing.ManifestMissing && wait > TimeSpan.Zero ? $"; none arrived within {PipelineOptions.SectionName}:{nameof(PipelineOptions.VcfManifestWait)} ({wait})" : string.Empty);
        await patientSafety.HoldAsync(item, claimed, original, accession: null, [HeldReport.IdentifierField], reason, cancellationToken);
        ReviewLog.UnitHeldWithoutIdentity(logger, item.UnitIndex, item.FileId, item.LabId);
        return WorkOutcome.Held;
    }

    private async Task<WorkOutcome> WaitAsync(WorkItem item, LedgerUnit claimed, TimeSpan left, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var delay = left > PipelineOptions.MaxQueueDelay ? PipelineOptions.MaxQueueDelay : left;
        var next = item with { Attempt = item.Attempt + 1 };

        // Queued before the ledger says so, as a transient deferral is: the newer message takes the unit over should this stop here.
        await queue.EnqueueAsync(next, delay, cancellationToken);
        try
        {
            await ledger.SaveUnitAsync(
                claimed.Wait(WaitingForManifest, next.Attempt, now + delay, now, again: claimed.LastWaitedFor(WaitingForManifest)),
                cancellationToken);
        }
        catch (LedgerConflictException)
        {
            return WorkOutcome.InProgress;
        }

        ReviewLog.UnitWaitingForManifest(logger, item.UnitIndex, item.FileId, delay.TotalSeconds);
        return WorkOutcome.Waiting;
    }
}
