using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Cli.Ledger;
using PrecisionMed.Core.Pipeline.Reinterpretation;

namespace PrecisionMed.Cli.Knowledge;

/// <summary>
/// <c>pmed knowledge reinterpret [--since VERSION] [--dry-run] [--max N]</c>: the diffs stored since a knowledge version,
/// the reports they affect (from the genomic index) and, unless a dry run, one work item per report on the
/// <c>reinterpretations</c> queue, capped and spread at the configured rate (<see cref="ReinterpretationPlanner"/>).
/// </summary>
internal sealed class KnowledgeReinterpretRunner(LedgerConnection connection, string? since, bool dryRun, int? max, TextWriter stdout, TextWriter stderr)
{
    /// <summary><c>--replay-poisoned</c>: queue the failed items again rather than plan a run.</summary>
    public ReinterpretReplayRequest? Replay { get; init; }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (Replay is not null && (dryRun || since is not null || max is not null))
        {
            await stderr.WriteLineAsync("pmed knowledge reinterpret: --replay-poisoned queues recorded items again; it takes no --since, --max or --dry-run");
            return ExitCodes.Usage;
        }

        if (!dryRun && connection.Storage is null)
        {
            await stderr.WriteLineAsync("pmed knowledge reinterpret: --storage (or PMED_STORAGE) is needed to queue the work; --dry-run only lists it");
            return ExitCodes.Usage;
        }

        if (max is < 1)
        {
            await stderr.WriteLineAsync("pmed knowledge reinterpret: --max must be at least 1");
            return ExitCodes.Usage;
        }

        await using var services = connection.BuildServices();
        if (AppServices.SettingsProblem(services) is { } problem)
        {
            await stderr.WriteLineAsync($"pmed knowledge reinterpret: {problem}");
            return ExitCodes.Usage;
        }

        if (Replay is { } request)
        {
            var replayed = await services.GetRequiredService<ReinterpretationReplayer>().ReplayAsync(
                request.Run, request.Reason ?? "requested by operator via pmed", services.GetRequiredService<IReinterpretationQueue>(), cancellationToken);
            await stdout.WriteLineAsync(
                $"replayed {replayed.Replayed} failed reinterpretation(s) of {replayed.Runs} run(s) on reinterpretations; {replayed.Refused} refused (replayed Pipeline__MaxReplays times already)");
            return replayed.Refused > 0 ? ExitCodes.Rejected : ExitCodes.Ok;
        }

        var correlation = "reinterpret-" + Guid.NewGuid().ToString("N")[..12];
        var queue = dryRun ? null : services.GetRequiredService<IReinterpretationQueue>();
        var plan = await services.GetRequiredService<ReinterpretationPlanner>().PlanAsync(since, queue, max, correlation, cancellationToken);
        if (plan.Diffs.Count == 0)
        {
            await stdout.WriteLineAsync(since is null ? "no knowledge diff stored: nothing to reinterpret" : $"no knowledge diff stored since {since}: nothing to reinterpret");
            return ExitCodes.Ok;
        }

        foreach (var diff in plan.Diffs)
            await stdout.WriteLineAsync($"diff {diff.DiffId} ({diff.Source}, {diff.FromVersion ?? "(none)"} -> {diff.ToVersion}, {diff.CreatedAt}): impact {KnowledgeDiffText.Counts(diff.Impacts)}");
        foreach (var (diffId, report) in plan.Affected)
            await stdout.WriteLineAsync($"  {report.Report} ({report.Patient}) diff {diffId}: {report.Implications.Count} implication(s)");
        var minutes = plan.Spread.TotalMinutes.ToString("F1", CultureInfo.InvariantCulture);
        await stdout.WriteLineAsync(dryRun
            ? $"affected reports: {plan.Affected.Count}; dry run, nothing queued ({plan.Deferred} over the cap of one run)"
            : $"affected reports: {plan.Affected.Count}; queued {plan.Queued} on reinterpretations over {minutes} min, {plan.Deferred} deferred to the next run (correlation {correlation})");
        return ExitCodes.Ok;
    }
}

/// <summary><c>--replay-poisoned [--run ID] [--reason TEXT]</c>.</summary>
internal sealed record ReinterpretReplayRequest(string? Run, string? Reason);
