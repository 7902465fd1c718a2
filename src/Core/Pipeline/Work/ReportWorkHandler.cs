using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Notifications;
using PrecisionMed.Core.Pipeline.Review;

namespace PrecisionMed.Core.Pipeline.Work;

public enum WorkOutcome
{
    Completed,
    AlreadyCompleted,
    Rejected,

    /// <summary>Given up on after every delivery attempt (poison): kept for replay.</summary>
    Failed,
    Dropped,

    /// <summary>Another delivery of the same work item holds the unit (or finished it first): this one wrote nothing.</summary>
    InProgress,

    /// <summary>The report's patient details disagree with the EMR's Patient: nothing written, held for review.</summary>
    Held,

    /// <summary>The file was overwritten after it arrived: nothing written for this unit; the new content arrives as a new file.</summary>
    Overwritten,

    /// <summary>The FHIR service failed transiently: the work item is queued again with a delay, the unit is Waiting.</summary>
    Waiting,

    /// <summary>A newer message of the unit is queued (a deferral or a replay): this stale copy did nothing.</summary>
    Superseded,
}

/// <summary>
/// Processes one report unit from the <c>lab-reports</c> queue (docs/design.md, "Data flow"): build its
/// FHIR, write it, record it. Bad content rejects the unit (never retried); a FHIR service that stays unavailable
/// puts the unit back with a growing delay (<see cref="TransientRetryScheduler"/>) until it is back or the retry
/// budget is spent; any other failure throws, so the queue retries and eventually dead-letters the message.
/// </summary>
public sealed class ReportWorkHandler(
    ReportUnitReader unitReader,
    ReportUnitPipeline pipeline,
    OverwrittenFileHandler overwritten,
    ILabFileLedger ledger,
    IFhirWriter writer,
    IResultNotifier notifier,
    GenomicIndexWriter genomicIndex,
    LabFileFinisher finisher,
    PatientSafetyCheck patientSafety,
    VcfIdentityWait identityWait,
    TransientRetryScheduler retries,
    IOptions<PipelineOptions> options,
    TimeProvider clock,
    ILogger<ReportWorkHandler> logger)
{
    public async Task<WorkOutcome> HandleAsync(string message, CancellationToken cancellationToken)
    {
        var item = WorkItem.TryParse(message);
        if (item is null)
        {
            // Nothing in it says which file it was about: retrying cannot help and there is nothing to record.
            PipelineLog.MalformedWorkItem(logger, message.Length);
            return WorkOutcome.Dropped;
        }

        return await HandleAsync(item, cancellationToken);
    }

    public async Task<WorkOutcome> HandleAsync(WorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (await item.WithBlobNameAsync(ledger, cancellationToken) is not { } named)
        {
            PipelineLog.WorkItemOfUnknownFile(logger, item.UnitIndex, item.FileId);
            return WorkOutcome.Dropped;
        }

        item = named;
        using var activity = PipelineTelemetry.StartUnit(item);
        try
        {
            var outcome = await HandleItemAsync(item, cancellationToken);
            PipelineTelemetry.UnitHandled(activity, item, outcome, clock.GetUtcNow());
            return outcome;
        }
        catch (Exception ex)
        {
            PipelineTelemetry.UnitFailed(activity, item, ex);
            throw;
        }
    }

    private async Task<WorkOutcome> HandleItemAsync(WorkItem item, CancellationToken cancellationToken)
    {
        // A claim that loses the ledger's compare-and-swap reads the unit again and decides again: the record that won may
        // be the deferral that queued this very message (it queues the message, then records Waiting), and dropping the
        // message then would leave the unit Waiting with nothing queued. Bounded: each round needs another writer.
        LedgerUnit? unit = null;
        for (var round = 1; unit is null; round++)
        {
            var (decided, claimed) = await ClaimAsync(item, cancellationToken);
            if (decided is { } outcome) return outcome;
            unit = claimed;
            if (unit is null && round == MaxClaimRounds)
            {
                PipelineLog.UnitClaimedElsewhere(logger, item.UnitIndex, item.FileId);
                return WorkOutcome.InProgress;
            }
        }

        try
        {
            return await ProcessClaimedAsync(item, unit, cancellationToken);
        }
        catch (LedgerConflictException)
        {
            // The claim lapsed and another delivery took the unit over: it finishes the work (the writes are idempotent).
            PipelineLog.UnitClaimedElsewhere(logger, item.UnitIndex, item.FileId);
            return WorkOutcome.InProgress;
        }
        catch (FhirTransientException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return await DeferAsync(item, unit, ex, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Release the claim so that the queue's retry of this message can take the unit at once.
            await TryReleaseAsync(unit, cancellationToken);
            throw;
        }
    }

    /// <summary>Puts the unit back with a delay; should that fail too, releases it so that the queue's retry of this message can take it.</summary>
    private async Task<WorkOutcome> DeferAsync(WorkItem item, LedgerUnit claimed, FhirTransientException failure, CancellationToken cancellationToken)
    {
        try
        {
            return await retries.DeferAsync(item, claimed, failure, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            await TryReleaseAsync(claimed, cancellationToken);
            throw;
        }
    }

    private async Task TryReleaseAsync(LedgerUnit claimed, CancellationToken cancellationToken)
    {
        try
        {
            await ledger.SaveUnitAsync(claimed.Release(clock.GetUtcNow()), cancellationToken);
        }
        catch (LedgerConflictException)
        {
            // Someone else holds it now: nothing to release.
        }
    }

    private const int MaxClaimRounds = 3;

    /// <summary>
    /// The unit claimed for this delivery, or the outcome that makes a claim needless (already completed, superseded by a
    /// newer message, claimed by a live delivery); neither when another writer saved the unit between the read and the claim.
    /// </summary>
    private async Task<(WorkOutcome? Outcome, LedgerUnit? Claimed)> ClaimAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var unit = await ledger.FindUnitAsync(item.FileId, item.UnitIndex, cancellationToken)
            ?? new LedgerUnit { FileId = item.FileId, UnitIndex = item.UnitIndex, ContentHash = item.ContentHash };
        if (unit.State == UnitState.Completed && unit.ContentHash == item.ContentHash)
        {
            PipelineLog.UnitAlreadyCompleted(logger, item.UnitIndex, item.FileId);
            await finisher.TryFinishAsync(item.FileId, cancellationToken); // an earlier attempt may have stopped before this
            return (WorkOutcome.AlreadyCompleted, null);
        }

        // A deferral or a replay queued a newer message of this unit: this is a stale copy (a redelivery or a duplicate).
        if (item.Attempt < unit.Attempt)
        {
            PipelineLog.StaleWorkItem(logger, item.UnitIndex, item.FileId, item.Attempt, unit.Attempt);
            return (WorkOutcome.Superseded, null);
        }

        // Claim the unit (ETag compare-and-swap): of two concurrent deliveries only one goes on to write. A newer message
        // than the claim's may take it over at once: the delivery that queued it was done with the unit.
        var now = clock.GetUtcNow();
        if (unit.State == UnitState.Processing && unit.ClaimedUntil > now && item.Attempt <= unit.Attempt)
        {
            PipelineLog.UnitClaimedElsewhere(logger, item.UnitIndex, item.FileId);
            return (WorkOutcome.InProgress, null);
        }

        try
        {
            return (null, await ledger.SaveUnitAsync(unit.Claim(item.ContentHash, item.Attempt, now + options.Value.UnitClaim, now), cancellationToken));
        }
        catch (LedgerConflictException)
        {
            return (null, null);
        }
    }

    private async Task<WorkOutcome> ProcessClaimedAsync(WorkItem item, LedgerUnit unit, CancellationToken cancellationToken)
    {
        var provenance = new ReportProvenance(
            item.LabId, $"{LabFileAreas.Incoming}/{item.LabPath}", item.ContentHash, item.BlobName,
            item.UnitIndex, item.UnitCount, item.ReceivedAt, options.Value.PipelineVersion);

        LabFileLocation? original = null;
        ReportTransaction transaction;
        try
        {
            var source = await FindOriginalAsync(item, cancellationToken);
            original = source.Location;
            transaction = await pipeline.BuildAsync(await unitReader.MapAsync(item, unit, source, provenance, cancellationToken), cancellationToken);
        }
        catch (VcfIdentityMissingException ex) when (original is not null)
        {
            return await identityWait.WaitOrHoldAsync(item, unit, original, ex, cancellationToken);
        }
        catch (LabFileRejectedException ex)
        {
            return await RejectAsync(item, unit, ex.Problem, cancellationToken);
        }
        catch (LabFileChangedException ex)
        {
            return await overwritten.EndUnitAsync(item, unit, ex.Area, cancellationToken);
        }

        // Gives the builder's UTF-8 buffer back to the pool when the unit is done, whichever way it ends.
        using var built = transaction;
        ReportUnitWrite write;
        try
        {
            write = await ReportUnitPipeline.WriteAsync(
                transaction, item.ContentHash, writer, new PatientSafetyTarget(patientSafety, item, unit, original), cancellationToken);
            if (write.Withdrawal is { } withdrawn) PipelineLog.ResultsWithdrawn(logger, item.UnitIndex, item.FileId, withdrawn.References.Count);
            if (write.Held) return WorkOutcome.Held;
            PipelineTelemetry.Written(item, transaction.ResourceCount);
        }
        catch (FhirRejectedException ex)
        {
            var problem = new LabFileProblem(SourcePosition.None, $"{ex.Message} {ex.Issues}".Trim());
            return await RejectAsync(item, unit with { Accession = transaction.Accession }, problem, cancellationToken, detail: ex.Outcome);
        }

        var (written, withdrawal) = (write.Written, write.Withdrawal);
        await genomicIndex.WriteAsync(transaction, write, cancellationToken);
        // Before the unit is Completed: if publishing fails, the retry writes the same resources again (no change)
        // and publishes the same message id, which duplicate detection drops; a notification is never lost.
        await notifier.PublishAsync(UnitNotifications.For(item, transaction, written, withdrawal, clock.GetUtcNow()), cancellationToken);

        await ledger.SaveUnitAsync(
            (unit.WithReferences(transaction.OwnedReferences, withdrawal?.References ?? []) with
            {
                ContentHash = item.ContentHash,
                Accession = transaction.Accession,
                ReportReference = transaction.ReportReference,
                Skipped = [.. transaction.Skipped.Take(LedgerUnit.MaxSkippedListed)],
                SkippedCount = transaction.Skipped.Count,
                RecordCounts = transaction.RecordCounts,
            }).Complete(clock.GetUtcNow()),
            cancellationToken);
        PipelineLog.UnitCompleted(logger, item.UnitIndex, item.FileId, transaction.ResourceCount, transaction.BundleCount);
        await finisher.TryFinishAsync(item.FileId, cancellationToken);
        // Only a replayed unit can have been held before: the others pay no review/ look-up.
        if (unit.ReplayCount > 0) await patientSafety.ResolveReplayedAsync(item, cancellationToken);
        return WorkOutcome.Completed;
    }

    private async Task<ReportUnitSource> FindOriginalAsync(WorkItem item, CancellationToken cancellationToken)
    {
        if (await unitReader.FindAsync(item, cancellationToken) is { } source) return source;
        PipelineLog.OriginalMissing(logger, item.FileId, item.UnitIndex);
        throw new FileNotFoundException($"The original of file {item.FileId} is in neither incoming nor archive.");
    }

    private async Task<WorkOutcome> RejectAsync(
        WorkItem item, LedgerUnit unit, LabFileProblem problem, CancellationToken cancellationToken, string? detail = null)
    {
        await finisher.WriteUnitErrorAsync(item, problem, cancellationToken, detail);
        PipelineTelemetry.Rejected(item.LabId, detail is null ? PipelineTelemetry.RejectReasons.UnitContent : PipelineTelemetry.RejectReasons.FhirRejected);
        await ledger.SaveUnitAsync(
            (unit with { ContentHash = item.ContentHash }).Reject(problem, clock.GetUtcNow()),
            cancellationToken);
        PipelineLog.UnitRejected(logger, item.UnitIndex, item.FileId, problem.Position.ToString());
        await finisher.TryFinishAsync(item.FileId, cancellationToken);
        if (unit.ReplayCount > 0) await patientSafety.ResolveReplayedAsync(item, cancellationToken);
        return WorkOutcome.Rejected;
    }
}
