using Microsoft.Extensions.Options;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Diff;
using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Core.Pipeline.Reinterpretation;

/// <summary>What a replay did: items queued again, and failed items left because they reached the replay bound.</summary>
public sealed record ReinterpretationReplay(int Runs, int Replayed, int Refused);

/// <summary>
/// Queues the failed reinterpretations of the recorded runs again (<c>pmed knowledge reinterpret --replay-poisoned</c>):
/// each Failed record (poisoned or given up) goes back to Pending at its next attempt, so an older copy of its message
/// does nothing, and its work item is queued; at most <see cref="PipelineOptions.MaxReplays"/> replays per item, as for
/// report units. Every step of the work is idempotent, so what an earlier delivery did is not done again.
/// </summary>
public sealed class ReinterpretationReplayer(IReinterpretationLedger ledger, IKnowledgeStore store, IOptions<PipelineOptions> options, TimeProvider clock)
{
    /// <param name="runId">One run, or null for every recorded run.</param>
    /// <param name="reason">Who asked and why, recorded in each item's history (no PHI).</param>
    public async Task<ReinterpretationReplay> ReplayAsync(string? runId, string reason, IReinterpretationQueue queue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var runs = runId is not null ? [runId]
            : ((await store.ReadAsync(ReinterpretationRunLogDocument.LogId, cancellationToken) as ReinterpretationRunLogDocument)?.Runs ?? []).Select(r => r.RunId).ToList();
        int replayed = 0, refused = 0;
        foreach (var run in runs)
        {
            foreach (var record in await ledger.ListAsync(run, cancellationToken))
            {
                if (record.State != UnitState.Failed) continue;
                if (record.ReplayCount >= options.Value.MaxReplays)
                {
                    refused++;
                    continue;
                }

                var saved = await ledger.SaveAsync(record.Replay($"Replayed: {reason}", clock.GetUtcNow()), cancellationToken);
                await queue.EnqueueAsync(saved.WorkItem(), TimeSpan.Zero, cancellationToken);
                replayed++;
            }
        }

        return new ReinterpretationReplay(runs.Count, replayed, refused);
    }
}
