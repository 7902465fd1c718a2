using System.Collections.Frozen;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Core.Pipeline.Replay;

/// <summary>
/// Re-drives units that did not complete (<c>pmed replay</c>, <c>POST /api/files/{fileId}/replay</c>): each unit in a
/// <see cref="ReplayableStates">replayable state</see> is reset to Pending with an ETag-conditional save that counts the
/// replay and records who asked and why, and its work item goes on the queue again. Of two concurrent replays of a unit
/// only one resets it, so it is queued once. A unit replayed <see cref="PipelineOptions.MaxReplays"/> times is refused:
/// a unit that keeps failing visits the poison queue a bounded number of times, never in a loop. Needs only the ledger
/// and the queue, so <c>pmed replay</c> runs it from an operator's machine.
/// </summary>
public sealed class LabFileReplayer(
    ILabFileLedger ledger,
    IWorkItemQueue queue,
    IOptions<PipelineOptions> options,
    TimeProvider clock,
    ILogger<LabFileReplayer> logger,
    LabFileArrivalHandler? arrival = null)
{
    private const string ArrivalReplayed = "Arrival replayed";

    /// <summary>
    /// The unit states a replay re-drives. A waiting unit replayed is tried now rather than at its next attempt, with a
    /// fresh retry budget; its delayed message, older than the replay's, then does nothing.
    /// </summary>
    public static readonly FrozenSet<UnitState> ReplayableStates = LedgerTransitions.From(UnitTransition.Replay).ToFrozenSet();

    // A held unit replayed runs the patient check again: written only if the EMR's Patient now agrees, else held again.
    /// <summary>The file states whose files <see cref="ReplayAllAsync"/> visits: those a replayable unit leaves a file in.</summary>
    public static IEnumerable<FileState> ReplayableFileStates =>
        ReplayableStates.Where(s => s != UnitState.Waiting).Select(s => s switch // a waiting unit's file is still in flight (Split)
        {
            UnitState.Held => FileState.Held,
            _ => FileState.Failed,
        }).Distinct().Order();

    private int MaxReplays => options.Value.MaxReplays;

    public async Task<FileReplay> ReplayAsync(string fileId, ReplayRequest request, CancellationToken cancellationToken)
    {
        var file = await ledger.FindFileAsync(fileId, cancellationToken);
        if (file is null) return new FileReplay(fileId, ReplayOutcome.NotFound, [], $"No file with id {fileId} is in the ledger.");

        var units = await ledger.ListUnitsAsync(fileId, cancellationToken);
        // Failed at arrival: its units (if any were recorded) were never queued, so arrival itself runs again.
        if (file.State == FileState.Failed && file.Problem?.Reason == ArrivalPoisonHandler.Reason) return await ReplayArrivalAsync(file, request, cancellationToken);

        var candidates = units.Where(u => ReplayableStates.Contains(u.State)).ToList();
        if (candidates.Count == 0)
        {
            return new FileReplay(fileId, ReplayOutcome.NothingToReplay, [],
                $"File {fileId} is {file.State}: no unit is {string.Join(" or ", ReplayableStates.Order())}, nothing to replay.");
        }

        var results = new List<UnitReplay>(candidates.Count);
        var reset = new List<(LedgerUnit Original, LedgerUnit Saved)>(candidates.Count);
        foreach (var unit in candidates)
        {
            var (result, saved) = await ResetAsync(unit, request, cancellationToken);
            results.Add(result);
            if (saved is not null) reset.Add((unit, saved));
        }

        if (reset.Count == 0)
            return new FileReplay(fileId, ReplayOutcome.Refused, results, $"File {fileId}: no unit replayed. " + string.Join(" ", results.Select(r => r.Message)));

        // The file is in flight again before any message goes out: a worker that finishes the file meanwhile then
        // records Completed after this, not before it.
        await MarkFileReplayedAsync(fileId, reset.Count, request, cancellationToken);
        foreach (var (original, saved) in reset) await EnqueueAsync(file, original, saved, request, cancellationToken);

        return new FileReplay(fileId, ReplayOutcome.Replayed, results,
            $"File {fileId}: {reset.Count} of {candidates.Count} unit(s) queued again." + string.Concat(results.Where(r => r.Outcome != UnitReplayOutcome.Replayed).Select(r => " " + r.Message)));
    }

    /// <summary>
    /// Replays every file with a replayable unit (<c>pmed replay --failed</c>). The file ids are gathered first, then
    /// replayed: a replay moves a file out of the state being listed, which would shift a listing's later pages.
    /// </summary>
    public async Task<IReadOnlyList<FileReplay>> ReplayAllAsync(ReplayRequest request, CancellationToken cancellationToken)
    {
        var fileIds = new List<string>();
        foreach (var state in ReplayableFileStates)
        {
            string? continuation = null;
            do
            {
                var page = await ledger.ListFilesAsync(state, LabFileStatusReader.MaxPageSize, continuation, cancellationToken);
                fileIds.AddRange(page.Files.Select(f => f.FileId));
                continuation = page.Continuation;
            }
            while (continuation is not null);
        }

        var replays = new List<FileReplay>(fileIds.Count);
        foreach (var fileId in fileIds.Distinct(StringComparer.Ordinal)) replays.Add(await ReplayAsync(fileId, request, cancellationToken));
        return replays;
    }

    /// <summary>
    /// A file that failed at arrival (<see cref="ArrivalPoisonHandler"/>) has no queued units to re-drive: its arrival runs
    /// again from Received, as the blob trigger would, bounded like a unit's replays. Needs the lab storage, so it runs in
    /// the function app (<c>POST /api/files/{fileId}/replay</c>); <c>pmed replay</c> says so.
    /// </summary>
    private async Task<FileReplay> ReplayArrivalAsync(LedgerFile file, ReplayRequest request, CancellationToken cancellationToken)
    {
        if (arrival is null)
        {
            return new FileReplay(file.FileId, ReplayOutcome.Refused, [],
                $"File {file.FileId} failed at arrival, before it was split: its arrival is replayed by the function app, POST /api/files/{file.FileId}/replay.");
        }

        var replays = file.History.Count(e => e.What.StartsWith(ArrivalReplayed, StringComparison.Ordinal));
        if (replays >= MaxReplays)
        {
            return new FileReplay(file.FileId, ReplayOutcome.Refused, [],
                $"File {file.FileId}: its arrival was already replayed {replays} time(s), the most Pipeline:MaxReplays ({MaxReplays}) allows.");
        }

        var now = clock.GetUtcNow();
        var what = $"{ArrivalReplayed} ({replays + 1} of {MaxReplays}) by {WhoAndWhy(request)}; correlation id {request.CorrelationId}";
        await ledger.SaveFileAsync(
            file.ReplayArrival(what, now),
            cancellationToken);
        ArrivalOutcome outcome;
        try
        {
            outcome = await arrival.HandleAsync(file.LabId, file.BlobName, request.CorrelationId, content: null, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Still failing: back to Failed, so the file stays listed and replayable rather than stuck in Received.
            var latest = await ledger.FindFileAsync(file.FileId, cancellationToken) ?? file;
            if (latest.State == FileState.Received)
            {
                var at = clock.GetUtcNow();
                await ledger.SaveFileAsync(
                    latest.Fail("Failed: the replayed arrival failed too", at) with { Problem = new LabFileProblem(SourcePosition.None, ArrivalPoisonHandler.Reason) },
                    cancellationToken);
            }

            throw;
        }

        return new FileReplay(file.FileId, ReplayOutcome.Replayed, [], $"File {file.FileId}: arrival ran again: {outcome}.");
    }

    private async Task<(UnitReplay Result, LedgerUnit? Saved)> ResetAsync(LedgerUnit unit, ReplayRequest request, CancellationToken cancellationToken)
    {
        if (unit.ReplayCount >= MaxReplays)
        {
            ReplayLog.ReplayLimitReached(logger, unit.UnitIndex, unit.FileId, unit.ReplayCount, MaxReplays);
            var message = $"Unit {unit.UnitIndex} was already replayed {unit.ReplayCount} time(s), the most Pipeline:MaxReplays ({MaxReplays}) allows: "
                + "read its error report and fix the cause; setting Pipeline__MaxReplays higher allows more replays.";
            return (new UnitReplay(unit.UnitIndex, unit.State, UnitReplayOutcome.LimitReached, unit.ReplayCount, message), null);
        }

        var now = clock.GetUtcNow();
        var count = unit.ReplayCount + 1;
        var what = $"Replay {count} of {MaxReplays} requested by {WhoAndWhy(request)}"
            + $"; was {unit.State}" + (unit.Problem is null ? string.Empty : ": " + unit.Problem.Reason)
            + $"; correlation id {request.CorrelationId}";
        try
        {
            var saved = await ledger.SaveUnitAsync(unit.Replay(what, now), cancellationToken);
            ReplayLog.UnitReplayed(logger, unit.UnitIndex, unit.FileId, count, MaxReplays, request.CorrelationId);
            return (new UnitReplay(unit.UnitIndex, unit.State, UnitReplayOutcome.Replayed, count, $"Unit {unit.UnitIndex} queued again (replay {count} of {MaxReplays})."), saved);
        }
        catch (LedgerConflictException)
        {
            ReplayLog.ReplayConflict(logger, unit.UnitIndex, unit.FileId);
            var message = $"Unit {unit.UnitIndex} was changed by another replay or delivery meanwhile: nothing queued for it by this replay.";
            return (new UnitReplay(unit.UnitIndex, unit.State, UnitReplayOutcome.Conflict, unit.ReplayCount, message), null);
        }
    }

    private async Task MarkFileReplayedAsync(string fileId, int units, ReplayRequest request, CancellationToken cancellationToken)
    {
        var file = await ledger.FindFileAsync(fileId, cancellationToken) ?? throw new InvalidOperationException($"File {fileId} left the ledger during a replay.");
        var now = clock.GetUtcNow();
        await ledger.SaveFileAsync(
            file.Replay($"Replay of {units} unit(s) requested by {OneLine(request.RequestedBy, 80)}; correlation id {request.CorrelationId}", now),
            cancellationToken);
    }

    private async Task EnqueueAsync(LedgerFile file, LedgerUnit original, LedgerUnit unit, ReplayRequest request, CancellationToken cancellationToken)
    {
        var item = new WorkItem(
            file.FileId, file.LabId, file.ContentHash, file.Format, unit.UnitIndex, file.UnitCount, request.CorrelationId, file.ReceivedAt,
            Attempt: unit.Attempt)
        {
            BlobName = file.BlobName,
        };
        try
        {
            await queue.EnqueueAsync(item, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Not left Pending with no message to drive it: back to the state it was replayed from, and the file with it.
            ReplayLog.ReplayNotQueued(logger, unit.UnitIndex, unit.FileId);
            var now = clock.GetUtcNow();
            try
            {
                await ledger.SaveUnitAsync(
                    original.ReplayNotQueued(now) with { ETag = unit.ETag },
                    cancellationToken);
                if (await ledger.FindFileAsync(file.FileId, cancellationToken) is { State: FileState.Split } latest)
                {
                    await ledger.SaveFileAsync(
                        latest.ReplayNotQueued(file.State, now),
                        cancellationToken);
                }
            }
            catch (LedgerConflictException)
            {
                // Changed meanwhile: whoever changed it drives it now.
            }

            throw;
        }
    }

    /// <summary>Who asked, and why when they said: one line each, bounded, as the ledger's history keeps them.</summary>
    private static string WhoAndWhy(ReplayRequest request) =>
        OneLine(request.RequestedBy, 80)
        + (string.IsNullOrWhiteSpace(request.Reason) ? string.Empty : $" ({OneLine(request.Reason, ReplayRequest.MaxReasonLength)})");

    private static string OneLine(string text, int maxLength)
    {
        var line = string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return line.Length <= maxLength ? line : line[..maxLength] + "…";
    }
}
