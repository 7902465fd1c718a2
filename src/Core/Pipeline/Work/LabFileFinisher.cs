using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Core.Pipeline.Work;

/// <summary>
/// Ends a file's journey: rejected files go to <c>rejected/</c> with their error report, completed
/// ones to <c>archive/</c>, each under its content hash (<see cref="LabFileOriginals"/>), so a later file of the same
/// name never overwrites an earlier one. The original is deleted from <c>incoming/</c> only after its copy is
/// confirmed, so a crash at any point leaves a file in at least one place.
/// </summary>
public sealed class LabFileFinisher(
    ILabFileStore store,
    ILabFileLedger ledger,
    IOptions<PipelineOptions> options,
    TimeProvider clock,
    ILogger<LabFileFinisher> logger)
{
    public async Task RejectFileAsync(
        LedgerFile file, LabFileProblem problem, IReadOnlyList<LabFileErrorReport.UnitError>? units, CancellationToken cancellationToken,
        LabFileLocation? rejectedTo = null)
    {
        var incoming = Incoming(file);
        var rejected = rejectedTo ?? LabFileOriginals.Rejected(file.LabId, file.ContentHash, file.BlobName);
        var now = clock.GetUtcNow();
        var report = new LabFileErrorReport
        {
            FileId = file.FileId,
            LabId = file.LabId,
            File = incoming.ToString(),
            Format = file.Format == LabFileFormat.Unknown ? null : file.Format,
            Position = problem.Position,
            Reason = problem.Reason,
            Units = units,
            At = now,
            PipelineVersion = options.Value.PipelineVersion,
        };

        await store.CopyAsync(incoming, rejected, cancellationToken);
        await store.WriteAsync(ErrorReportLocation(rejected), report.ToUtf8Json(), "application/json", cancellationToken);
        await MoveManifestAsync(file, incoming, rejected, cancellationToken);
        await store.DeleteAsync(incoming, cancellationToken);
        await ledger.SaveFileAsync(
            file.Reject(problem, rejected.ToString(), now),
            cancellationToken);
    }

    /// <summary>Writes the error report of one unit beside where the original will end up.</summary>
    /// <param name="item">The unit.</param>
    /// <param name="problem">Where and why, without PHI: also recorded in the ledger.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <param name="detail">Extra text only for this report (e.g. the FHIR server's diagnostics), which may quote data.</param>
    public Task WriteUnitErrorAsync(WorkItem item, LabFileProblem problem, CancellationToken cancellationToken, string? detail = null)
    {
        var report = new LabFileErrorReport
        {
            FileId = item.FileId,
            LabId = item.LabId,
            File = $"{LabFileAreas.Incoming}/{item.LabPath}",
            Format = item.Format,
            UnitIndex = item.UnitIndex,
            Position = problem.Position,
            Reason = problem.Reason,
            Detail = detail,
            At = clock.GetUtcNow(),
            PipelineVersion = options.Value.PipelineVersion,
        };
        var location = LabFileOriginals.UnitErrorReport(item.LabId, item.ContentHash, item.BlobName, item.UnitIndex);
        return store.WriteAsync(location, report.ToUtf8Json(), "application/json", cancellationToken);
    }

    /// <summary>
    /// When every unit of a file has reached an end state, moves the original: all completed to
    /// <c>archive/</c>, any rejected to <c>rejected/</c>. A failed or held unit keeps it in <c>incoming/</c> for replay;
    /// a waiting unit is not finished (its work item is queued again).
    /// </summary>
    public async Task TryFinishAsync(string fileId, CancellationToken cancellationToken)
    {
        var file = await ledger.FindFileAsync(fileId, cancellationToken);
        if (file is null || file.State is FileState.Completed or FileState.Rejected) return;

        // Every unit asks when it ends; while any is still to run, one record read answers, not a listing of all N
        // (that made finishing a file of N units cost N listings). Only the last unit(s) to end list them all.
        if (await ledger.HasUnfinishedUnitsAsync(fileId, cancellationToken)) return;
        var units = await ledger.ListUnitsAsync(fileId, cancellationToken);
        if (units.Count < file.UnitCount || units.Any(u => u.State.IsUnfinished())) return;

        var completed = units.Count(u => u.State == UnitState.Completed);
        if (units.Any(u => u.State is UnitState.Failed or UnitState.Held))
        {
            var state = units.Any(u => u.State == UnitState.Failed) ? FileState.Failed : FileState.Held;
            if (file.State != state)
            {
                var at = clock.GetUtcNow();
                await ledger.SaveFileAsync(state == FileState.Failed ? file.Fail(nameof(FileState.Failed), at) : file.Hold(at), cancellationToken);
            }

            PipelineLog.FileFinished(logger, fileId, state, completed, file.UnitCount);
            return;
        }

        if (completed < units.Count)
        {
            var rejectedUnits = units.Where(u => u.State == UnitState.Rejected)
                .Select(u => new LabFileErrorReport.UnitError(u.UnitIndex, u.Problem?.Position ?? SourcePosition.None, u.Problem?.Reason ?? "rejected"))
                .ToList();
            var problem = new LabFileProblem(SourcePosition.None, $"{rejectedUnits.Count} of {units.Count} report unit(s) were rejected");

            // The reports its completed units wrote point their DocumentReference at the archived original: keep it there too.
            if (completed > 0 && !await OverwrittenSinceArrivalAsync(file, Incoming(file), cancellationToken))
                await store.CopyAsync(Incoming(file), LabFileOriginals.Archived(file.LabId, file.ContentHash, file.BlobName), cancellationToken);
            await RejectFileAsync(file, problem, rejectedUnits, cancellationToken);
            PipelineLog.FileFinished(logger, fileId, FileState.Rejected, completed, file.UnitCount);
            return;
        }

        var incoming = Incoming(file);
        if (await OverwrittenSinceArrivalAsync(file, incoming, cancellationToken))
        {
            // Every unit was written from the version that arrived; what incoming/ holds now is another file, which
            // arrives on its own (the blob trigger fires for the overwrite): archiving it here would take it from that.
            var at = clock.GetUtcNow();
            await ledger.SaveFileAsync(
                file.Complete("Completed; the original was overwritten after it arrived, so nothing was archived", storedAt: null, at),
                cancellationToken);
            PipelineLog.FileFinished(logger, fileId, FileState.Completed, completed, file.UnitCount);
            return;
        }

        var archive = LabFileOriginals.Archived(file.LabId, file.ContentHash, file.BlobName);
        await store.CopyAsync(incoming, archive, cancellationToken);
        await MoveManifestAsync(file, incoming, archive, cancellationToken);
        await store.DeleteAsync(incoming, cancellationToken);
        var now = clock.GetUtcNow();
        await ledger.SaveFileAsync(
            file.Complete("Completed; original archived", archive.ToString(), now),
            cancellationToken);
        PipelineLog.FileFinished(logger, fileId, FileState.Completed, completed, file.UnitCount);
    }

    /// <summary>Whether <c>incoming/</c> now holds another version than the one that arrived (and that the units read).</summary>
    private async Task<bool> OverwrittenSinceArrivalAsync(LedgerFile file, LabFileLocation incoming, CancellationToken cancellationToken) =>
        file.SourceETag is { } arrived && await store.FindVersionAsync(incoming, cancellationToken) is { } current && current != arrived;

    /// <summary>A VCF's manifest goes where its VCF goes, under the VCF's path + <see cref="VcfManifest.Suffix"/> (a replay reads it there).</summary>
    private async Task MoveManifestAsync(LedgerFile file, LabFileLocation vcf, LabFileLocation target, CancellationToken cancellationToken)
    {
        if (file.Format != LabFileFormat.Vcf) return;
        var manifest = vcf with { Path = VcfManifest.NameFor(vcf.Path) };
        if (await store.FindVersionAsync(manifest, cancellationToken) is null) return;
        await store.CopyAsync(manifest, target with { Path = VcfManifest.NameFor(target.Path) }, cancellationToken);
        await store.DeleteAsync(manifest, cancellationToken);
    }

    private static LabFileLocation Incoming(LedgerFile file) => new(LabFileAreas.Incoming, $"{file.LabId}/{file.BlobName}");

    private static LabFileLocation ErrorReportLocation(LabFileLocation rejected) => rejected with { Path = rejected.Path + ".error.json" };
}
