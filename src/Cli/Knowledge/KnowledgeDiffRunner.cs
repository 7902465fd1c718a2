using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PrecisionMed.Adapters;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Core.Genomics.Index;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Diff;
using PrecisionMed.Core.Knowledge.Import;
using PrecisionMed.Core.Pipeline.Reinterpretation;

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
        foreach (var (path, argument) in new[] { (options.From, "from"), (options.To, "to") })
        {
            if (KnowledgeSourcePath.Problem(options.Source, path, argument) is { } problem)
            {
                await stderr.WriteLineAsync($"pmed knowledge diff: {problem}");
                return ExitCodes.Usage;
            }

            if (KnowledgeSourcePath.NotRegular(path) is { } notRegular)
            {
                await stderr.WriteLineAsync($"pmed knowledge diff: {notRegular}");
                return ExitCodes.Rejected;
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
        var from = await KnowledgeSourcePath.ImportAsync(importer, options.Source, options.From, 1, null, Skipped, cancellationToken);
        var to = await KnowledgeSourcePath.ImportAsync(importer, options.Source, options.To, 1, null, Skipped, cancellationToken);
        var problems = 0L;
        foreach (var result in new[] { from, to })
        {
            foreach (var problem in result.Diagnostics.Listed) await stderr.WriteLineAsync($"pmed knowledge diff: {problem}");
            problems += result.Diagnostics.Count;
        }

        var diff = to.Diff ?? throw new InvalidOperationException($"{KnowledgeSources.NameOf(options.Source)} is not a source with a diff: use clinvar or pharmcat-guidelines");
        IReadOnlyList<AffectedReport>? affected = null;
        if (options.Index is { } connection)
        {
            await using var app = connection.BuildServices();
            if (AppServices.SettingsProblem(app) is { } indexProblem)
            {
                await stderr.WriteLineAsync($"pmed knowledge diff: {indexProblem}");
                return ExitCodes.Usage;
            }

            affected = await new AffectedReportFinder(app.GetRequiredService<IGenomicIndex>()).FindAsync(diff.Changes, cancellationToken);
        }

        if (options.Json)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(new { diff = diff with { FromVersion = null, ToVersion = string.Empty }, affected }, Json));
        }
        else
        {
            await stdout.WriteLineAsync($"{KnowledgeSources.NameOf(options.Source)} {from.File} -> {to.File}: {diff.Added} added, {diff.Changed} changed, {diff.Removed} removed; impact {KnowledgeDiffText.Counts(diff.Impacts)}");
            foreach (var change in diff.Changes.OrderByDescending(c => c.Impact).ThenBy(c => c.Kind).ThenBy(c => c.Key, StringComparer.Ordinal))
                await stdout.WriteLineAsync("  " + KnowledgeDiffText.Line(change));
            if (affected is not null) await WriteAffectedAsync(diff, affected);
        }

        return problems > 0 ? ExitCodes.Rejected : ExitCodes.Ok;
    }

    /// <summary><c>affected reports: 1 (5 implications)</c>, then per report its implications with the change and impact.</summary>
    private Task Skipped(string line) => stderr.WriteLineAsync($"pmed knowledge diff: {line}");

    private async Task WriteAffectedAsync(KnowledgeDiff diff, IReadOnlyList<AffectedReport> affected)
    {
        var impacts = diff.Changes.GroupBy(c => c.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Max(c => c.Impact), StringComparer.Ordinal);
        await stdout.WriteLineAsync($"affected reports: {affected.Count} ({affected.Sum(a => a.Implications.Count)} implications)");
        foreach (var report in affected)
        {
            await stdout.WriteLineAsync($"  {report.Report} ({report.Patient})");
            foreach (var implication in report.Implications)
                await stdout.WriteLineAsync($"    {implication.Observation} {implication.ChangeKey} {impacts.GetValueOrDefault(implication.ChangeKey).ToString().ToLowerInvariant()}");
        }
    }
}

internal sealed record KnowledgeDiffCommandOptions(KnowledgeSource Source, string From, string To, bool Json)
{
    /// <summary>The app's Cosmos DB, whose genomic index is read for the affected reports; none when null.</summary>
    public Ledger.LedgerConnection? Index { get; init; }
}
