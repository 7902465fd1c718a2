using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PrecisionMed.Adapters;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Diff;
using PrecisionMed.Core.Knowledge.Import;

namespace PrecisionMed.Cli.Knowledge;

/// <summary>Runs one import: into Cosmos DB when an endpoint is given, else into memory as a dry run that checks and counts.</summary>
internal sealed class KnowledgeImportRunner(KnowledgeImportOptions options, TextWriter stdout, TextWriter stderr)
{
    public const int ExitOk = ExitCodes.Ok;
    public const int ExitUsage = ExitCodes.Usage;
    public const int ExitDiagnostics = ExitCodes.Rejected;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (KnowledgeSourcePath.Problem(options.Source, options.Path, "path") is { } pathProblem)
        {
            await stderr.WriteLineAsync($"pmed knowledge import: {pathProblem}");
            return ExitUsage;
        }

        if (KnowledgeSourcePath.NotRegular(options.Path) is { } notRegular)
        {
            await stderr.WriteLineAsync($"pmed knowledge import: {notRegular}");
            return ExitDiagnostics;
        }

        if (options.Concurrency < 1)
        {
            await stderr.WriteLineAsync("pmed knowledge import: --concurrency must be at least 1");
            return ExitUsage;
        }

        await using var services = BuildServices();
        if (AppServices.SettingsProblem(services) is { } settingsProblem)
        {
            await stderr.WriteLineAsync($"pmed knowledge import: {settingsProblem}");
            return ExitUsage;
        }

        var store = services.GetRequiredService<IKnowledgeStore>();
        var writer = services.GetRequiredService<IKnowledgeWriter>();
        var importer = new KnowledgeImporter(store, writer, services.GetRequiredService<IOptions<KnowledgeDiffOptions>>().Value.Matrix(), TimeProvider.System);
        var clock = Stopwatch.StartNew();
        var showProgress = Terminal.IsInteractive(stderr);
        var progress = showProgress ? new TerminalProgress(stderr, clock) : null;

        var result = await KnowledgeSourcePath.ImportAsync(importer, options.Source, options.Path, options.Concurrency, progress, Skipped, cancellationToken);
        if (showProgress) await stderr.WriteLineAsync();
        foreach (var problem in result.Diagnostics.Listed) await stderr.WriteLineAsync($"pmed knowledge import: {problem}");
        if (result.Diagnostics.Count > result.Diagnostics.Listed.Count)
            await stderr.WriteLineAsync($"pmed knowledge import: ... {result.Diagnostics.Count - result.Diagnostics.Listed.Count} more rows not imported");

        var target = options.Cosmos is null ? "dry run, nothing stored" : $"{options.Cosmos} {options.Database}/knowledge";
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{KnowledgeSources.NameOf(result.Source)} {result.File}: {result.Documents} documents, {result.Written} written, {result.Unchanged} unchanged, "
            + $"{result.Diagnostics.Count} rows not imported, version {result.Version}{(result.VersionWritten ? " (new)" : string.Empty)}, "
            + $"{clock.Elapsed.TotalSeconds:F1} s, peak working set {PeakWorkingSetMegabytes():N0} MB ({target})"));
        if (result.Diff is { } diff) await stdout.WriteLineAsync(KnowledgeDiffText.Summary(diff, stored: options.Cosmos is not null));
        return result.Diagnostics.Count > 0 ? ExitDiagnostics : ExitOk;
    }

    private Task Skipped(string line) => stderr.WriteLineAsync($"pmed knowledge import: {line}");

    /// <summary>
    /// The running count on one terminal line, written as it is reported (under a lock: writers report from several
    /// threads). Not <see cref="Progress{T}"/>, which posts to the thread pool, where a line could arrive after the
    /// command ended and its writer was closed.
    /// </summary>
    private sealed class TerminalProgress(TextWriter stderr, Stopwatch clock) : IProgress<ImportProgress>
    {
        private readonly Lock _gate = new();

        public void Report(ImportProgress value)
        {
            var line = string.Create(CultureInfo.InvariantCulture,
                $"\r{value.Documents:N0} documents, {value.Written:N0} written ({value.Documents / Math.Max(clock.Elapsed.TotalSeconds, 0.001):N0}/s)   ");
            lock (_gate) stderr.Write(line);
        }
    }

    private static long PeakWorkingSetMegabytes()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / 1_000_000;
    }

    /// <summary>The function app's services with its knowledge store: on Cosmos DB, or for a dry run in memory.</summary>
    private ServiceProvider BuildServices()
    {
        if (options.Cosmos is not null)
            return AppServices.Build(CosmosSettings.For(options.Cosmos, options.CosmosKey, options.Database), AppConnections.Cosmos);

        // Embedded, whatever the environment says: a dry run must not write to a store the environment points at.
        var memory = new InMemoryKnowledgeStore();
        return AppServices.Build(
            new Dictionary<string, string?> { ["Knowledge:Store"] = "Embedded" },
            AppConnections.None,
            services => services.AddSingleton<IKnowledgeStore>(memory).AddSingleton<IKnowledgeWriter>(memory));
    }
}

/// <summary>The <c>Cosmos</c> settings for a command-line endpoint: an emulator key means a local stack (containers created).</summary>
internal static class CosmosSettings
{
    public static Dictionary<string, string?> For(Uri endpoint, string? emulatorKey, string database) => new()
    {
        ["Cosmos:Endpoint"] = endpoint.ToString(),
        ["Cosmos:EmulatorKey"] = emulatorKey,
        ["Cosmos:Database"] = database,
        ["Cosmos:CreateIfMissing"] = emulatorKey is null ? "false" : "true",
        ["Knowledge:Store"] = "Cosmos",
    };
}
