using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Review;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Core.Pipeline.Arrival;

public enum ArrivalOutcome
{
    /// <summary>New content: recorded and its report units queued.</summary>
    Queued,

    /// <summary>Content already processed: archived (or rejected) again, nothing rewritten.</summary>
    Duplicate,

    /// <summary>The same content is being processed under this name right now: left for that run to finish.</summary>
    InProgress,

    /// <summary>Unreadable: copied to <c>rejected/</c> with an error report.</summary>
    Rejected,
}

/// <summary>
/// A lab file arrived in <c>incoming/{labId}/{name}</c> (docs/design.md, "Data flow"): hash it, consult
/// the ledger, detect and split it, record it and queue one work item per report unit. Unreadable
/// files are moved to <c>rejected/</c> with a machine-readable error report; nothing is lost.
/// </summary>
public sealed class LabFileArrivalHandler(
    LabFileIntake intake,
    ILabFileStore store,
    ILabFileLedger ledger,
    IWorkItemQueue queue,
    LabFileFinisher finisher,
    VcfManifestArrival manifests,
    IOptions<PipelineOptions> options,
    TimeProvider clock,
    ILogger<LabFileArrivalHandler> logger)
{
    /// <param name="labId">The lab, from the blob path.</param>
    /// <param name="blobName">The rest of the blob path under the lab's folder.</param>
    /// <param name="correlationId">Carried in every work item and error, e.g. the function invocation id.</param>
    /// <param name="content">The blob as the trigger delivered it, used for the first pass (hashing); later passes reopen it.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task<ArrivalOutcome> HandleAsync(
        string labId, string blobName, string correlationId, Stream? content, CancellationToken cancellationToken)
    {
        using var activity = PipelineTelemetry.StartArrival(labId, correlationId);
        try
        {
            var outcome = await ArriveAsync(labId, blobName, correlationId, content, cancellationToken);
            PipelineTelemetry.FileHandled(activity, labId, outcome);
            return outcome;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
    }

    private async Task<ArrivalOutcome> ArriveAsync(
        string labId, string blobName, string correlationId, Stream? content, CancellationToken cancellationToken)
    {
        var incoming = new LabFileLocation(LabFileAreas.Incoming, $"{labId}/{blobName}");
        // Every pass reads the one version taken here, and the workers read only it too: content written over the file
        // later is a new arrival, never split or built under this hash. That is also why the hash is taken from this
        // version rather than from the trigger's stream, which may be of an earlier one.
        var version = await store.FindVersionAsync(incoming, cancellationToken);
        OpenLabFile open = async ct => (version is null ? await store.OpenReadAsync(incoming, ct) : await store.OpenReadAsync(incoming, version, 0, null, ct))
            ?? throw new FileNotFoundException($"The blob {LabFileAreas.Incoming}/{{labId}}/{{name}} of lab {labId} no longer exists.");

        var hash = await LabFileIntake.HashAsync(content is not null && version is null ? _ => Task.FromResult(content) : open, cancellationToken);
        var fileId = LabFileIds.For(labId, hash);
        var now = clock.GetUtcNow();
        if (LabFilePath.Problem(labId, blobName, [.. options.Value.KnownLabs]) is { } pathProblem)
            return await RejectPathAsync(labId, blobName, fileId, hash, pathProblem, now, cancellationToken);

        // A VCF's manifest is no report of its own: it waits beside its VCF (its name says which) and is archived with it.
        if (VcfManifest.IsManifestName(blobName)) return await manifests.ArriveAsync(labId, blobName, fileId, hash, correlationId, cancellationToken);

        var existing = await ledger.FindFileAsync(fileId, cancellationToken);
        if (existing is not null && existing.State != FileState.Received)
            return await HandleRepeatAsync(existing, blobName, incoming, cancellationToken);

        var file = existing ?? LedgerFile.Received(fileId, labId, blobName, hash, now);

        IntakePlan plan;
        try
        {
            plan = await intake.PlanAsync(open, cancellationToken);
        }
        catch (LabFileRejectedException ex)
        {
            await finisher.RejectFileAsync(file, ex.Problem, units: null, cancellationToken);
            PipelineLog.FileRejected(logger, fileId, labId, ex.Problem.Position.ToString());
            PipelineTelemetry.Rejected(labId, PipelineTelemetry.RejectReasons.UnreadableFile);
            return ArrivalOutcome.Rejected;
        }

        file = file with { Format = plan.Format.Format, UnitCount = plan.UnitCount, SourceETag = version };
        await ledger.SaveFileAsync(file, cancellationToken);

        // Units first, then messages, then the file's Split state: a crash in between leaves the file
        // Received, and the trigger's redelivery redoes this idempotently.
        for (var unit = 0; unit < plan.UnitCount; unit++)
        {
            var recorded = await ledger.FindUnitAsync(fileId, unit, cancellationToken);
            if (recorded is null)
            {
                await ledger.SaveUnitAsync(
                    LedgerUnit.Pending(fileId, unit, hash, plan.Ranges?[unit], now),
                    cancellationToken);
            }
        }

        for (var unit = 0; unit < plan.UnitCount; unit++)
        {
            var item = new WorkItem(
                fileId, labId, hash, plan.Format.Format, unit, plan.UnitCount, correlationId, file.ReceivedAt, PipelineTelemetry.CurrentTraceParent())
            {
                BlobName = blobName,
            };
            await queue.EnqueueAsync(item, cancellationToken);
        }

        // A worker may have finished every unit, and so the file, since the messages went out: move
        // to Split only from Received, rather than overwrite that with this handler's stale record.
        now = clock.GetUtcNow();
        var latest = await ledger.FindFileAsync(fileId, cancellationToken) ?? file;
        if (latest.State == FileState.Received)
        {
            await ledger.SaveFileAsync(
                latest.Split(plan.UnitCount, now),
                cancellationToken);
        }

        PipelineLog.FileQueued(logger, fileId, labId, plan.Format.Format, plan.UnitCount);
        return ArrivalOutcome.Queued;
    }

    /// <summary>An unsafe path: the file is kept under its id in <c>rejected/_unsafe-path/</c> with the reason, and nothing else is read.</summary>
    private async Task<ArrivalOutcome> RejectPathAsync(
        string labId, string blobName, string fileId, string hash, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var file = LedgerFile.Received(fileId, labId, blobName, hash, now);
        var problem = new LabFileProblem(SourcePosition.None, "the blob path is not accepted: " + reason);
        var keptAt = new LabFileLocation(LabFileAreas.Rejected, $"{LabFilePath.UnsafePathFolder}/{fileId}");
        await finisher.RejectFileAsync(file, problem, units: null, cancellationToken, rejectedTo: keptAt);
        PipelineLog.FileRejected(logger, fileId, LabFilePath.UnsafePathFolder, "blob path");
        PipelineTelemetry.Rejected(LabFilePath.UnsafePathFolder, PipelineTelemetry.RejectReasons.UnsafePath);
        return ArrivalOutcome.Rejected;
    }

    private async Task<ArrivalOutcome> HandleRepeatAsync(LedgerFile existing, string blobName, LabFileLocation incoming, CancellationToken cancellationToken)
    {
        if (existing.State is FileState.Split or FileState.Held or FileState.Failed && existing.BlobName == blobName)
        {
            // This very blob is still being worked on (or waits for review or replay): leave it be.
            return ArrivalOutcome.InProgress;
        }

        // Identical bytes already handled (or being handled under another name): keep this copy where
        // the first one went (under the same content hash, by the name it came with this time), and change nothing else.
        var rejected = existing.State == FileState.Rejected;
        var area = rejected ? LabFileAreas.Rejected : LabFileAreas.Archive;
        var target = rejected
            ? LabFileOriginals.Rejected(existing.LabId, existing.ContentHash, blobName)
            : LabFileOriginals.Archived(existing.LabId, existing.ContentHash, blobName);
        await store.CopyAsync(incoming, target, cancellationToken);
        await store.DeleteAsync(incoming, cancellationToken);

        var now = clock.GetUtcNow();
        await ledger.SaveFileAsync(
            existing.Duplicate(area, now),
            cancellationToken);
        PipelineLog.DuplicateFile(logger, existing.FileId, existing.LabId, existing.State);
        return ArrivalOutcome.Duplicate;
    }
}
