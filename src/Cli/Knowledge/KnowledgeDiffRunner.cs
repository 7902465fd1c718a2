using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PrecisionMed.Adapters;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Diff;
using PrecisionMed.Core.Knowledge.Import;

namespace PrecisionMed.Cli.Knowledge;

/// <summary>
/// <c>pmed knowledge diff FROM TO</c>: what importing TO would change in a store that holds FROM. Both are imported into
/// a store in memory through the same importer and diff as <c>pmed knowledge import</c>; nothing is written anywhere.
/// </summary>
internal sealed class KnowledgeDiffRunner(KnowledgeDiffCommandOptions options, TextWriter stdout, TextWriter stderr)
{
    private static readonly JsonSerializerOptions Json = new(KnowledgeJson.Options) { WriteIndented = true };

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        foreach (var path in new[] { options.From, options.To })
        {
            if (KnowledgeSourcePath.Problem(options.Source, path) is { } problem)
            {
                await stderr.WriteLineAsync($"pmed knowledge diff: {problem}");
                return ExitCodes.Usage;
            }
        }

        var memory = new InMemoryKnowledgeStore();
        await using var services = AppServices.Build(
            new Dictionary<string, string?> { ["Knowledge:Store"] = "Embedded" },
            AppConnections.None,
            s => s.AddSingleton<IKnowledgeStore>(memory).AddSingleton<IKnowledgeWriter>(memory));
        if (AppServices.SettingsProblem(services) is { } settingsProblem)
        {
            await stderr.WriteLineAsync($"pmed knowledge diff: {settingsProblem}");
            return ExitCodes.Usage;
        }

        var importer = new KnowledgeImporter(memory, memory, services.GetRequiredService<IOptions<KnowledgeDiffOptions>>().Value.Matrix(), TimeProvider.System);
        var from = await KnowledgeSourcePath.ImportAsync(importer, options.Source, options.From, 1, null, cancellationToken);
        var to = await KnowledgeSourcePath.ImportAsync(importer, options.Source, options.To, 1, null, cancellationToken);
        var problems = 0L;
        foreach (var result in new[] { from, to })
        {
            foreach (var problem in result.Diagnostics.Listed) await stderr.WriteLineAsync($"pmed knowledge diff: {problem}");
            problems += result.Diagnostics.Count;
        }

        var diff = to.Diff ?? throw new InvalidOperationException($"{KnowledgeSources.NameOf(options.Source)} is not a source with a diff: use clinvar or pharmcat-guidelines");
        if (options.Json)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(diff with { FromVersion = null, ToVersion = string.Empty }, Json));
        }
        else
        {
            await stdout.WriteLineAsync($"{KnowledgeSources.NameOf(options.Source)} {from.File} -> {to.File}: {diff.Added} added, {diff.Changed} changed, {diff.Removed} removed; impact {KnowledgeDiffText.Counts(diff.Impacts)}");
            foreach (var change in diff.Changes.OrderByDescending(c => c.Impact).ThenBy(c => c.Kind).ThenBy(c => c.Key, StringComparer.Ordinal))
                await stdout.WriteLineAsync("  " + KnowledgeDiffText.Line(change));
        }

        return problems > 0 ? ExitCodes.Rejected : ExitCodes.Ok;
    }
}

internal sealed record KnowledgeDiffCommandOptions(KnowledgeSource Source, string From, string To, bool Json);
