using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Adapters;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Cli.Validate;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Documents;
using PrecisionMed.Core.Pipeline.Work;
using PrecisionMed.Validation;
using PrecisionMed.Validation.Packages;

namespace PrecisionMed.Cli.Ingest;

/// <summary>
/// Runs the pipeline's Core on local files: the same intake, mapping and unit pipeline (<see cref="ReportUnitPipeline"/>)
/// as the functions, with bundles written to a folder (and optionally a FHIR server). Files go through side by side
/// (one per core) unless they write to a FHIR server or are validated, where one file's writes may depend on another's;
/// rows come out in the order the files were given either way.
/// </summary>
internal sealed class IngestRunner(IngestOptions options, TextWriter stdout, TextWriter stderr)
{
    public const int ExitOk = ExitCodes.Ok;
    public const int ExitUsage = ExitCodes.Usage;
    public const int ExitRejected = ExitCodes.Rejected;
    public const int ExitUnreachable = ExitCodes.ServiceFailed;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var files = IngestPaths.Expand(options.Paths, out var missing, out var special);
        foreach (var path in missing) await stderr.WriteLineAsync($"pmed ingest: {path}: no such file or folder");
        foreach (var (path, kind) in special) await stderr.WriteLineAsync($"pmed ingest: {path}: skipped: {SpecialFile.NotRead(kind)}");
        if (files.Count == 0)
        {
            foreach (var manifest in options.Paths.Where(p => File.Exists(p) && VcfManifest.IsManifestName(Path.GetFileName(p))))
                await stderr.WriteLineAsync($"pmed ingest: {manifest}: a VCF's manifest is read with its VCF; name the VCF ({VcfManifest.VcfNameOf(Path.GetFileName(manifest))})");
            await stderr.WriteLineAsync("pmed ingest: no input files");
            return ExitUsage;
        }

        FhirProfileValidator? validator = null;
        if (options.Validate)
        {
            var (created, exit) = await CreateValidatorAsync(cancellationToken);
            if (created is null) return exit;
            validator = created;
        }

        if (StatedPatient.Problem(options, files.Count, out var stated) is { } patientProblem)
        {
            await stderr.WriteLineAsync($"pmed ingest: {patientProblem}");
            return ExitUsage;
        }

        await using var services = BuildServices();
        if (AppServices.SettingsProblem(services) is { } problem)
        {
            await stderr.WriteLineAsync($"pmed ingest: {problem}");
            return ExitUsage;
        }

        var intake = services.GetRequiredService<LabFileIntake>();
        if (stated is not null && await StatedPatient.FileProblemAsync(files[0], intake, cancellationToken) is { } fileProblem)
        {
            await stderr.WriteLineAsync($"pmed ingest: {fileProblem}");
            return ExitUsage;
        }

        // A FHIR server that is not there fails the run now, in one line, rather than after each write's retries.
        if (options.FhirUrl is { } fhirUrl && await FhirPreflight.UnreachableAsync(fhirUrl, cancellationToken) is { } down)
        {
            await stderr.WriteLineAsync($"{PmedCommandLine.Name}: {down.Message}");
            return down.ExitCode;
        }

        var writer = options.FhirUrl is null ? null : services.GetRequiredService<IFhirWriter>();
        options.Output.Create();

        // Every lab file's enrichment reads the knowledge; loaded here it is start-up, not the first file's time.
        if (services.GetRequiredService<IKnowledgeStore>() is EmbeddedKnowledgeSeed) await EmbeddedKnowledgeSeed.WarmAsync(cancellationToken);

        var started = Stopwatch.GetTimestamp();
        var cpuStarted = Environment.CpuUsage.TotalTime;
        var allocatedStarted = GC.GetTotalAllocatedBytes();
        var collectionsStarted = GC.CollectionCount(0);
        var pausedStarted = GC.GetTotalPauseDuration();
        var jitStarted = (Methods: System.Runtime.JitInfo.GetCompiledMethodCount(), Time: System.Runtime.JitInfo.GetCompilationTime());
        var file = new IngestFile(
            options, intake, services.GetRequiredService<ReportUnitBuilder>(), writer, validator, stderr,
            writer is null ? null : services.GetRequiredService<GenomicIndexWriter>());
        var results = await IngestAllAsync(files, file, stated, sequential: writer is not null || validator is not null, cancellationToken);
        if (options.Timings)
        {
            var spent = new IngestSpend(
                Stopwatch.GetElapsedTime(started), Environment.CpuUsage.TotalTime - cpuStarted, GC.GetTotalAllocatedBytes() - allocatedStarted, GC.CollectionCount(0) - collectionsStarted,
                GC.GetTotalPauseDuration() - pausedStarted, System.Runtime.JitInfo.GetCompiledMethodCount() - jitStarted.Methods,
                System.Runtime.JitInfo.GetCompilationTime() - jitStarted.Time);
            await WriteTimingsAsync(results, spent, file.WriteCosts);
        }

        foreach (var rejected in results.Where(r => r.Status != "ingested"))
            await stderr.WriteLineAsync($"pmed ingest: {rejected.File}: {rejected.Status}: {rejected.Reason}");

        if (options.Json) await stdout.WriteLineAsync(JsonSerializer.Serialize(results, ResultJson));
        else await stdout.WriteAsync(ResultTable.Render(results, options.Output.FullName));
        return results.All(r => r.Status == "ingested") ? ExitOk : missing.Count > 0 ? ExitUsage : ExitRejected;
    }

    /// <summary>Every file's result, in the order given; up to one file per core at a time unless <paramref name="sequential"/>.</summary>
    private async Task<IngestResult[]> IngestAllAsync(
        List<string> files, IngestFile file, PatientIdentifier? stated, bool sequential, CancellationToken cancellationToken)
    {
        var results = new IngestResult[files.Count];
        var stems = IngestPaths.OutputStems(files);
        var showProgress = !options.Json && files.Count > 1 && Terminal.IsInteractive(stderr);
        var done = 0;
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = sequential ? 1 : Environment.ProcessorCount,
            CancellationToken = cancellationToken,
        };
        await Parallel.ForEachAsync(Enumerable.Range(0, files.Count), parallel, async (i, ct) =>
        {
            results[i] = await file.RunAsync(files[i], stems[i], stated, ct);
            var count = Interlocked.Increment(ref done);
            if (showProgress)
            {
                lock (stderr) stderr.Write($"\r[{count}/{files.Count}] {Path.GetFileName(files[i])}".PadRight(60));
            }
        });

        if (showProgress) await stderr.WriteLineAsync();
        return results;
    }

    /// <summary>
    /// <c>--timings</c>: the time from the first file to the last, after start-up (settings, services, validator), so that
    /// benchmarks (bench/pipeline-throughput.sh) measure the pipeline rather than the process; with the process's CPU time
    /// (all threads, user and system) over the same span, steadier than wall time when the machine is shared.
    /// </summary>
    /// The bytes allocated, the garbage collections and the time the GC paused the program over the span measure the pipeline's memory traffic, which unlike
    /// time does not depend on what else the machine runs.
    /// With <c>--fhir</c>, also what the FHIR writes took and what the genomic index's writes cost beside them.
    private Task WriteTimingsAsync(IngestResult[] results, IngestSpend spent, IngestWriteCosts writes) =>
        stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"pmed ingest: timings: files={results.Length} reports={results.Sum(r => r.Reports)} elapsed_seconds={spent.Elapsed.TotalSeconds:F3} cpu_seconds={spent.Cpu.TotalSeconds:F3} "
            + $"allocated_mb={spent.AllocatedBytes / 1_000_000.0:F1} gen0_collections={spent.Collections} gc_pause_seconds={spent.GcPause.TotalSeconds:F3} "
            + $"jit_methods={spent.JitMethods} jit_seconds={spent.JitTime.TotalSeconds:F3}{writes}"));

    private readonly record struct IngestSpend(TimeSpan Elapsed, TimeSpan Cpu, long AllocatedBytes, int Collections, TimeSpan GcPause, long JitMethods, TimeSpan JitTime);

    /// <summary>Built before the first file: an install failure stops the run before anything is written.</summary>
    private async Task<(FhirProfileValidator? Validator, int Exit)> CreateValidatorAsync(CancellationToken cancellationToken)
    {
        if (ValidatorSetup.Registry(options.Registry, out var registryError) is not { } registry)
        {
            await stderr.WriteLineAsync($"pmed ingest: {registryError}");
            return (null, ExitUsage);
        }

        var packageRoot = ValidatorSetup.PackageRoot(options.Packages);
        try
        {
            return (await ValidatorSetup.CreateAsync(packageRoot, registry, stderr, cancellationToken), ExitOk);
        }
        catch (FhirPackageInstallException ex)
        {
            await stderr.WriteLineAsync($"pmed ingest: {ex.Message}");
            return (null, ExitUnreachable);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"pmed ingest: cannot use the package folder {packageRoot}: {ex.Message}");
            return (null, ExitUsage);
        }
    }

    /// <summary>The function app's services; documents too large to inline go to the output folder, not to lab storage.</summary>
    private ServiceProvider BuildServices() =>
        AppServices.Build(IngestSettings.For(options), AppConnections.None, services => services.AddSingleton<IReportDocumentStore>(new FolderDocumentStore(options.Output)));

    private static readonly JsonSerializerOptions ResultJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
