using Microsoft.Extensions.Options;
using PrecisionMed.Core.Genomics.Index;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Diff;

namespace PrecisionMed.Core.Pipeline.Reinterpretation;

/// <summary>What a run found and queued.</summary>
/// <param name="Diffs">The stored diffs the run covers, oldest first.</param>
/// <param name="Affected">Reports with store implications the diffs change (per diff: a report in two diffs counts twice).</param>
/// <param name="Queued">Work items queued (0 for a dry run): at most the cap.</param>
/// <param name="Deferred">Affected reports over the cap, left for the next run.</param>
/// <param name="Spread">How long the rate limit spreads the queued items over.</param>
public sealed record ReinterpretationPlan(
    IReadOnlyList<KnowledgeDiffLogEntry> Diffs, IReadOnlyList<(string DiffId, AffectedReport Report)> Affected, int Queued, int Deferred, TimeSpan Spread);

/// <summary>
/// <c>pmed knowledge reinterpret</c>: the diffs stored since a knowledge version, the reports they affect (through the
/// genomic index), and one work item per report on the <c>reinterpretations</c> queue, at most
/// <see cref="ReinterpretationOptions.MaxReportsPerRun"/> of them, each hidden until its turn at
/// <see cref="ReinterpretationOptions.ReportsPerMinute"/> so a large release cannot flood the FHIR service.
/// </summary>
/// <param name="store">Where the run is recorded (the knowledge store) for the status API.</param>
/// <param name="writer">The store's writer; without one (the embedded seed) runs are not recorded.</param>
/// <param name="ledger">Where each queued item's record is created (Pending) before its message is sent, so the run's
/// progress counts it from the start and the worker claims it.</param>
public sealed class ReinterpretationPlanner(
    KnowledgeDiffReader diffs, IGenomicIndex index, IOptions<ReinterpretationOptions> options, IKnowledgeStore store, TimeProvider clock,
    IKnowledgeWriter? writer = null, IReinterpretationLedger? ledger = null)
{
    /// <summary>The longest a Storage Queue message may stay hidden.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7);

    /// <param name="queue">Where the work goes; null for a dry run, which only lists it.</param>
    public async Task<ReinterpretationPlan> PlanAsync(string? sinceVersion, IReinterpretationQueue? queue, int? cap, string correlationId, CancellationToken cancellationToken)
    {
        var dryRun = queue is null;
        var entries = await diffs.SinceAsync(sinceVersion, cancellationToken);
        var finder = new AffectedReportFinder(index);
        var affected = new List<(string DiffId, AffectedReport Report)>();
        foreach (var entry in entries)
        {
            var diff = await diffs.ReadAsync(entry.DiffId, cancellationToken);
            if (diff is null) continue;
            foreach (var report in await finder.FindAsync(diff.Changes, cancellationToken)) affected.Add((diff.Id, report));
        }

        var limit = Math.Min(cap ?? options.Value.MaxReportsPerRun, options.Value.MaxReportsPerRun);
        var queued = Math.Min(limit, affected.Count);
        var perItem = TimeSpan.FromMinutes(1.0 / options.Value.ReportsPerMinute);
        var spread = perItem * Math.Max(0, queued - 1);
        if (!dryRun)
        {
            for (var i = 0; i < queued; i++)
            {
                var (diffId, report) = affected[i];
                var delay = perItem * i;
                var item = new ReinterpretationWorkItem(diffId, report.Patient, report.Report, correlationId);
                if (ledger is not null)
                {
                    try
                    {
                        await ledger.SaveAsync(ReinterpretationRecord.Pending(item, clock.GetUtcNow()), cancellationToken);
                    }
                    catch (ReinterpretationConflictException)
                    {
                        // Recorded by an earlier attempt of this run: queued again below, which the record's claim makes harmless.
                    }
                }

                await queue!.EnqueueAsync(item, delay < MaxDelay ? delay : MaxDelay, cancellationToken);
            }
        }

        if (!dryRun && writer is not null && entries.Count > 0)
        {
            var log = await store.ReadAsync(ReinterpretationRunLogDocument.LogId, cancellationToken) as ReinterpretationRunLogDocument;
            var run = new ReinterpretationRun(
                correlationId, clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture), sinceVersion,
                [.. entries.Select(e => e.DiffId)], affected.Count, queued, affected.Count - queued, options.Value.ReportsPerMinute);
            await writer.UpsertAsync(new ReinterpretationRunLogDocument([.. (log?.Runs ?? []).TakeLast(ReinterpretationRunLogDocument.Kept - 1), run]), cancellationToken);
        }

        return new ReinterpretationPlan(entries, affected, dryRun ? 0 : queued, affected.Count - queued, spread);
    }
}
