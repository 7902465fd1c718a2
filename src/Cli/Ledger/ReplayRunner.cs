using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Core.Pipeline.Replay;

namespace PrecisionMed.Cli.Ledger;

/// <summary>Runs <c>pmed replay</c>: one file's failed units, or every failed file's with <c>--failed</c>.</summary>
internal sealed class ReplayRunner(ReplayOptions options, TextWriter stdout, TextWriter stderr)
{
    public const int ExitOk = ExitCodes.Ok;
    public const int ExitUsage = ExitCodes.Usage;

    /// <summary>Some file was not found, had nothing to replay, or was refused (the replay bound, or another replay won).</summary>
    public const int ExitNotReplayed = ExitCodes.Rejected;

    public const string RequestedBy = "operator via pmed";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (options.Failed == (options.FileId is not null))
        {
            await stderr.WriteLineAsync("pmed replay: give either a FILE_ID or --failed");
            return ExitUsage;
        }

        if (options.Connection.Storage is null)
        {
            await stderr.WriteLineAsync("pmed replay: --storage (or $PMED_STORAGE) is needed to queue the work items");
            return ExitUsage;
        }

        await using var services = options.Connection.BuildServices();
        if (AppServices.SettingsProblem(services) is { } problem)
        {
            await stderr.WriteLineAsync($"pmed replay: {problem}");
            return ExitUsage;
        }

        var replayer = services.GetRequiredService<LabFileReplayer>();

        // The CLI is the edge: a fresh id here ties the replay's history entries, messages and logs together.
        var request = new ReplayRequest(RequestedBy, options.Reason, "pmed-replay-" + Guid.NewGuid().ToString("N"));
        IReadOnlyList<FileReplay> replays = options.FileId is { } fileId
            ? [await replayer.ReplayAsync(fileId, request, cancellationToken)]
            : await replayer.ReplayAllAsync(request, cancellationToken);

        if (options.Json) await stdout.WriteLineAsync(JsonSerializer.Serialize(replays, LedgerOutput.Json));
        else
        {
            foreach (var replay in replays) await (replay.Outcome == ReplayOutcome.Replayed ? stdout : stderr).WriteLineAsync(replay.Message);
            await stdout.WriteLineAsync($"{replays.Sum(r => r.ReplayedCount)} unit(s) of {replays.Count(r => r.Outcome == ReplayOutcome.Replayed)} file(s) queued again; correlation id {request.CorrelationId}");
        }

        return replays.All(r => r.Outcome == ReplayOutcome.Replayed) ? ExitOk : ExitNotReplayed;
    }
}
