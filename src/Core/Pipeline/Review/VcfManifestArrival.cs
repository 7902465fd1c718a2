using Microsoft.Extensions.Logging;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Core.Pipeline.Review;

/// <summary>
/// A VCF's manifest arrived in <c>incoming/</c> (known by its name, <see cref="VcfManifest.IsManifestName"/>): it is no
/// lab file of its own. It is read and checked, recorded in the ledger, and left beside its VCF, whose units read it and
/// with which it is archived. A VCF already waiting for it (<see cref="VcfIdentityWait.WaitingForManifest"/>) has its
/// waiting units queued at once, so arrival order does not matter. A manifest that cannot be used is rejected like an
/// unreadable file (the VCF then waits out <see cref="PipelineOptions.VcfManifestWait"/> and is held).
/// </summary>
public sealed class VcfManifestArrival(
    ILabFileStore store,
    ILabFileLedger ledger,
    IWorkItemQueue queue,
    LabFileFinisher finisher,
    TimeProvider clock,
    ILogger<VcfManifestArrival> logger)
{
    public async Task<ArrivalOutcome> ArriveAsync(
        string labId, string blobName, string fileId, string hash, string correlationId, CancellationToken cancellationToken)
    {
        var incoming = new LabFileLocation(LabFileAreas.Incoming, $"{labId}/{blobName}");
        var now = clock.GetUtcNow();
        var existing = await ledger.FindFileAsync(fileId, cancellationToken);
        var file = existing ?? LedgerFile.Received(fileId, labId, blobName, hash, now);
        if (existing is { State: FileState.Rejected }) return ArrivalOutcome.Duplicate;

        VcfManifest manifest;
        try
        {
            manifest = await ReadAsync(incoming, blobName, cancellationToken);
        }
        catch (LabFileRejectedException) when (existing is not null)
        {
            // The same bytes under a name they are not the manifest of: the first arrival's record and copy stay as they are.
            return await CountDuplicateAsync(existing, blobName, incoming, cancellationToken);
        }
        catch (LabFileRejectedException ex)
        {
            await finisher.RejectFileAsync(file, ex.Problem, units: null, cancellationToken);
            PipelineLog.FileRejected(logger, fileId, labId, ex.Problem.Position.ToString());
            PipelineTelemetry.Rejected(labId, PipelineTelemetry.RejectReasons.UnreadableFile);
            return ArrivalOutcome.Rejected;
        }

        if (existing is null)
        {
            await ledger.SaveFileAsync(
                file.Complete($"VCF manifest of {manifest.Samples.Count} sample column(s): kept beside its VCF", incoming.ToString(), now),
                cancellationToken);
        }

        var queued = await QueueWaitingUnitsAsync(labId, VcfManifest.VcfNameOf(blobName), correlationId, cancellationToken);
        ReviewLog.ManifestArrived(logger, labId, fileId, queued);
        return existing is null ? ArrivalOutcome.Queued : ArrivalOutcome.Duplicate;
    }

    /// <summary>Counted on the first arrival's record, this copy kept where the first goes (archived under the content hash, by its own name).</summary>
    private async Task<ArrivalOutcome> CountDuplicateAsync(LedgerFile existing, string blobName, LabFileLocation incoming, CancellationToken cancellationToken)
    {
        await store.CopyAsync(incoming, LabFileOriginals.Archived(existing.LabId, existing.ContentHash, blobName), cancellationToken);
        await store.DeleteAsync(incoming, cancellationToken);
        await ledger.SaveFileAsync(existing.Duplicate(LabFileAreas.Archive, clock.GetUtcNow()), cancellationToken);
        PipelineLog.DuplicateFile(logger, existing.FileId, existing.LabId, existing.State);
        return ArrivalOutcome.Duplicate;
    }

    private async Task<VcfManifest> ReadAsync(LabFileLocation incoming, string blobName, CancellationToken cancellationToken)
    {
        await using var stream = await store.OpenReadAsync(incoming, cancellationToken)
            ?? throw new FileNotFoundException("The manifest vanished while being read.");
        var buffer = new byte[VcfManifest.MaxBytes + 1];
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        var manifest = VcfManifest.Parse(buffer.AsSpan(0, read));
        var vcf = VcfManifest.VcfNameOf(blobName);
        if (!string.Equals(manifest.Vcf, vcf[(vcf.LastIndexOf('/') + 1)..], StringComparison.Ordinal))
            throw new LabFileRejectedException(new SourcePosition { Path = "$.vcf" }, "VCF manifest: names another file than the one its own name is for");
        return manifest;
    }

    /// <summary>The VCF's units waiting for this manifest, queued again at their own attempt (the delayed copy then finds them done).</summary>
    private async Task<int> QueueWaitingUnitsAsync(string labId, string vcfName, string correlationId, CancellationToken cancellationToken)
    {
        var vcf = new LabFileLocation(LabFileAreas.Incoming, $"{labId}/{vcfName}");
        if (await store.FindVersionAsync(vcf, cancellationToken) is null) return 0;
        string vcfHash;
        try
        {
            vcfHash = await LabFileIntake.HashAsync(async ct => await store.OpenReadAsync(vcf, ct) ?? Stream.Null, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return 0;
        }

        var file = await ledger.FindFileAsync(LabFileIds.For(labId, vcfHash), cancellationToken);
        if (file is null || file.Format != LabFileFormat.Vcf) return 0;
        var queued = 0;
        foreach (var unit in await ledger.ListUnitsAsync(file.FileId, cancellationToken))
        {
            if (unit is not { State: UnitState.Waiting, WaitingReason: VcfIdentityWait.WaitingForManifest }) continue;
            await queue.EnqueueAsync(
                new WorkItem(file.FileId, file.LabId, file.ContentHash, file.Format, unit.UnitIndex, file.UnitCount, correlationId, file.ReceivedAt, Attempt: unit.Attempt)
                {
                    BlobName = file.BlobName,
                },
                cancellationToken);
            queued++;
        }

        return queued;
    }
}
