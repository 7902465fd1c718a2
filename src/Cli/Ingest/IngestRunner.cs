using System.Globalization;
using System.Text.Json;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Adapters;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Cli.Knowledge;
using PrecisionMed.Cli.Validate;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Formats;
using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Documents;
using PrecisionMed.Core.Pipeline.Review;
using PrecisionMed.Core.Pipeline.Work;
using PrecisionMed.Validation;
using PrecisionMed.Validation.Packages;

namespace PrecisionMed.Cli.Ingest;

/// <summary>
/// Runs the pipeline's Core synchronously on local files: the same intake, splitting and FHIR
/// building as the functions, with bundles written to a folder (and optionally a FHIR server).
/// </summary>
internal sealed class IngestRunner(IngestOptions options, TextWriter stdout, TextWriter stderr)
{
    public const int ExitOk = ExitCodes.Ok;
    public const int ExitUsage = ExitCodes.Usage;
    public const int ExitRejected = ExitCodes.Rejected;
    public const int ExitUnreachable = ExitCodes.ServiceFailed;


    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var files = ExpandPaths(options.Paths, out var missing);
        foreach (var path in missing) await stderr.WriteLineAsync($"pmed ingest: {path}: no such file or folder");
        if (files.Count == 0)
        {
            await stderr.WriteLineAsync("pmed ingest: no input files");
            return ExitUsage;
        }

        FhirProfileValidator? validator = null;
        if (options.Validate)
        {
            // Built before the first file: an install failure stops the run before anything is written.
            if (ValidatorSetup.Registry(options.Registry, out var registryError) is not { } registry)
            {
                await stderr.WriteLineAsync($"pmed ingest: {registryError}");
                return ExitUsage;
            }

            var packageRoot = ValidatorSetup.PackageRoot(options.Packages);
            try
            {
                validator = await ValidatorSetup.CreateAsync(packageRoot, registry, stderr, cancellationToken);
            }
            catch (FhirPackageInstallException ex)
            {
                await stderr.WriteLineAsync($"pmed ingest: {ex.Message}");
                return ExitUnreachable;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"pmed ingest: cannot use the package folder {packageRoot}: {ex.Message}");
                return ExitUsage;
            }
        }

        if (StatedPatientProblem(files.Count, out var stated) is { } patientProblem)
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
        if (stated is not null && await StatedFileProblemAsync(files[0], intake, cancellationToken) is { } fileProblem)
        {
            await stderr.WriteLineAsync($"pmed ingest: {fileProblem}");
            return ExitUsage;
        }
        var writer = options.FhirUrl is null ? null : services.GetRequiredService<IFhirWriter>();
        options.Output.Create();

        var results = new List<IngestResult>();
        var showProgress = !options.Json && files.Count > 1 && Terminal.IsInteractive(stderr);
        for (var i = 0; i < files.Count; i++)
        {
            if (showProgress) await stderr.WriteAsync($"\r[{i + 1}/{files.Count}] {Path.GetFileName(files[i])}".PadRight(60));
            results.Add(await IngestFileAsync(files[i], intake, writer, validator, stated, cancellationToken));
        }

        if (showProgress) await stderr.WriteLineAsync();
        foreach (var rejected in results.Where(r => r.Status != "ingested"))
            await stderr.WriteLineAsync($"pmed ingest: {rejected.File}: {rejected.Status}: {rejected.Reason}");

        if (options.Json) await stdout.WriteLineAsync(JsonSerializer.Serialize(results, ResultJson));
        else await stdout.WriteAsync(ResultTable.Render(results, options.Output.FullName));
        return results.All(r => r.Status == "ingested") ? ExitOk : missing.Count > 0 ? ExitUsage : ExitRejected;
    }

    private async Task<IngestResult> IngestFileAsync(
        string path, LabFileIntake intake, IFhirWriter? writer, FhirProfileValidator? validator, PatientIdentifier? stated, CancellationToken cancellationToken)
    {
        OpenLabFile open = ct => Task.FromResult<Stream>(File.OpenRead(path));
        var name = Path.GetFileName(path);
        var manifestPath = VcfManifest.NameFor(path);
        string? manifestName = null;
        try
        {
            var plan = await intake.PlanAsync(open, cancellationToken);
            VcfManifest? manifest = null;
            if (plan.Format.Format == LabFileFormat.Vcf)
            {
                if (stated is not null) manifest = VcfManifest.ForSingleSample(name, stated, options.Accession);
                else if (File.Exists(manifestPath))
                {
                    manifestName = Path.GetFileName(manifestPath);
                    (manifest, var problem) = await ReadManifestAsync(manifestPath, name, cancellationToken);
                    if (problem is not null)
                        return new IngestResult(path, Describe(plan.Format), plan.UnitCount, 0, "rejected", $"{manifestName}: {problem}", [], []) { Manifest = manifestName };
                }
            }

            var held = new List<string>();
            var resources = 0;
            var bundleFiles = new List<string>();
            var skipped = new List<string>();
            var withdrawn = new List<string>();
            var recordCounts = new SortedDictionary<string, long>(StringComparer.Ordinal);
            var invalidBundles = new List<string>();
            var validationErrors = 0;
            for (var unit = 0; unit < plan.UnitCount; unit++)
            {
                var provenance = new ReportProvenance(
                    options.LabId, Path.GetFullPath(path), plan.ContentHash, name, unit, plan.UnitCount,
                    File.GetLastWriteTimeUtc(path), PipelineOptions.CurrentVersion) { Manifest = manifest };
                ReportTransaction transaction;
                try
                {
                    transaction = await intake.BuildUnitAsync(open, provenance, cancellationToken);
                }
                catch (VcfIdentityMissingException ex)
                {
                    // As the pipeline holds it: nothing of the unit is written, here or to --fhir.
                    held.Add(ex.Message);
                    continue;
                }

                using var built = transaction;
                var targets = Enumerable.Range(0, transaction.BundleCount)
                    .Select(part => Path.Combine(options.Output.FullName, BundleFileName(name, unit, plan.UnitCount, part, transaction.BundleCount)))
                    .ToList();
                var unitWriter = writer;
                if (validator is not null)
                {
                    var bundleJson = Enumerable.Range(0, transaction.BundleCount).Select(part => Encoding.UTF8.GetString(transaction.Bundle(part).Span)).ToList();
                    var errors = await ValidateBundlesAsync(targets, bundleJson, validator);
                    validationErrors += errors.Sum(e => e.Errors);
                    invalidBundles.AddRange(errors.Where(e => e.Errors > 0).Select(e => Path.GetFileName(e.File)));

                    // An invalid unit is written to --out for inspection but nothing of it reaches the FHIR server.
                    if (errors.Any(e => e.Errors > 0)) unitWriter = null;
                }

                skipped.AddRange(transaction.Skipped.Select(s => plan.UnitCount > 1 ? $"report {unit + 1}: {s}" : s.ToString()));
                foreach (var (outcome, count) in transaction.RecordCounts) recordCounts[outcome] = recordCounts.GetValueOrDefault(outcome) + count;
                var previous = unitWriter is null ? null : await ReportWithdrawals.PreviousProvenanceAsync(transaction, unitWriter, cancellationToken);
                if (unitWriter is not null && !await ReportPatients.SameAsPreviousAsync(transaction, previous, unitWriter, cancellationToken))
                {
                    held.Add(HeldReport.ReasonForAnotherPatient);
                    continue;
                }

                resources += transaction.ResourceCount;
                if (unitWriter is not null) await ReportAmendments.ApplyAsync(transaction, plan.ContentHash, previous, unitWriter, cancellationToken);
                if (unitWriter is not null && await ReportWithdrawals.FindAsync(transaction, previous, unitWriter, cancellationToken) is { } withdrawal)
                {
                    await unitWriter.WriteTransactionAsync(withdrawal.Bundle, cancellationToken);
                    withdrawn.AddRange(withdrawal.References);
                }

                for (var part = 0; part < transaction.BundleCount; part++)
                {
                    // The builder's compact UTF-8, as the FHIR service gets it.
                    await File.WriteAllBytesAsync(targets[part], transaction.Bundle(part), cancellationToken);
                    bundleFiles.Add(targets[part]);
                    if (unitWriter is not null) await unitWriter.WriteTransactionAsync(transaction.Bundle(part), cancellationToken);
                }
            }

            var invalid = invalidBundles.Count > 0;
            return new IngestResult(
                path, Describe(plan.Format), plan.UnitCount, resources, held.Count > 0 ? "held" : invalid ? "invalid" : "ingested",
                held.Count > 0 ? string.Join("; ", held)
                : invalid ? string.Create(CultureInfo.InvariantCulture, $"{validationErrors} validation error(s) in {string.Join(", ", invalidBundles)}") : null,
                bundleFiles, skipped)
            {
                Manifest = manifestName,
                Withdrawn = withdrawn,
                RecordCounts = recordCounts.Count > 0 ? recordCounts : null,
                ValidationErrors = validator is null ? null : validationErrors,
            };
        }
        catch (LabFileRejectedException ex)
        {
            return new IngestResult(path, null, 0, 0, "rejected", ex.Problem.ToString(), [], []);
        }
        catch (FhirRejectedException ex) // a refusal of this file's content; an unreachable server stops the run (exit 3)
        {
            return new IngestResult(path, null, 0, 0, "fhir-error", ex.Message, [], []);
        }
        catch (IOException ex)
        {
            return new IngestResult(path, null, 0, 0, "unreadable", ex.Message, [], []);
        }
    }

    /// <summary>The manifest, or its problem (JSON path and reason, no value) when it is not usable for the VCF <paramref name="vcfName"/>.</summary>
    private static async Task<(VcfManifest? Manifest, string? Problem)> ReadManifestAsync(string manifestPath, string vcfName, CancellationToken cancellationToken)
    {
        try
        {
            var manifest = VcfManifest.Parse(await File.ReadAllBytesAsync(manifestPath, cancellationToken));
            return manifest.Vcf == vcfName ? (manifest, null) : (null, "$.vcf: VCF manifest: names another file than the VCF it lies beside");
        }
        catch (LabFileRejectedException ex)
        {
            return (null, ex.Problem.ToString());
        }
    }

    /// <summary>What is wrong with <c>--patient</c>/<c>--accession</c> before any file is read; the stated patient when they are usable.</summary>
    private string? StatedPatientProblem(int fileCount, out PatientIdentifier? stated)
    {
        stated = null;
        if (options.Patient is null)
            return options.Accession is null ? null : "--accession needs --patient (a VCF manifest states both for each sample column)";
        var bar = options.Patient.IndexOf('|', StringComparison.Ordinal);
        var system = bar > 0 ? options.Patient[..bar].Trim() : string.Empty;
        var value = bar > 0 ? options.Patient[(bar + 1)..].Trim() : string.Empty;
        if (bar <= 0 || value.Length == 0 || value.Contains('|', StringComparison.Ordinal) || !Uri.TryCreate(system, UriKind.Absolute, out _))
            return "--patient must be SYSTEM|VALUE: an absolute URI (e.g. urn:oid:2.16.840.1.113883.19.5) and the identifier's value";
        if (options.Accession is { } accession && string.IsNullOrWhiteSpace(accession)) return "--accession must not be empty";
        if (fileCount != 1) return $"--patient states one patient for one file, but {fileCount} files were given: put a NAME.vcf.manifest.json beside each VCF";
        stated = new PatientIdentifier(system, value);
        return null;
    }

    /// <summary>A file <c>--patient</c> cannot speak for: not a VCF, or a VCF of several sample columns.</summary>
    private static async Task<string?> StatedFileProblemAsync(string path, LabFileIntake intake, CancellationToken cancellationToken)
    {
        try
        {
            var plan = await intake.PlanAsync(ct => Task.FromResult<Stream>(File.OpenRead(path)), cancellationToken);
            if (plan.Format.Format != LabFileFormat.Vcf) return $"--patient is for VCF files; {Path.GetFileName(path)} is {plan.Format.Format}, which names its patient itself";
            return plan.UnitCount == 1 ? null
                : string.Create(CultureInfo.InvariantCulture, $"--patient states one patient, but {Path.GetFileName(path)} has {plan.UnitCount} sample columns: put a NAME.vcf.manifest.json beside it");
        }
        catch (LabFileRejectedException)
        {
            return null; // the run reports the file as rejected, with its reason
        }
    }

    private async Task<List<FileFindings>> ValidateBundlesAsync(List<string> targets, List<string> bundleJson, FhirProfileValidator validator)
    {
        var findings = targets.Select((target, part) => new FileFindings(target, FhirJsonValidation.Validate(bundleJson[part], validator))).ToList();
        foreach (var line in findings.SelectMany(f => FindingsOutput.Lines(f, withWarnings: false))) await stderr.WriteLineAsync($"pmed ingest: {line}");
        return findings;
    }

    /// <summary>The function app's services; documents too large to inline go to the output folder, not to lab storage.</summary>
    private ServiceProvider BuildServices() =>
        AppServices.Build(Settings(), AppConnections.None, services => services.AddSingleton<IReportDocumentStore>(new FolderDocumentStore(options.Output)));

    /// <summary>The flags as the app's settings. The embedded knowledge seed unless a Cosmos DB account is given.</summary>
    private Dictionary<string, string?> Settings()
    {
        var settings = options.Cosmos is null
            ? new Dictionary<string, string?> { ["Knowledge:Store"] = "Embedded" }
            : CosmosSettings.For(options.Cosmos, options.CosmosKey, options.Database);
        if (options.FhirUrl is not null) settings["Fhir:BaseUrl"] = options.FhirUrl.ToString();
        foreach (var (key, value) in VcfSettings(options.Vcf)) settings[key] = value;
        return settings;
    }

    /// <summary>The VCF flags as <c>Vcf:*</c> settings; those a flag leaves unset (build, regions, genes) the environment may give.</summary>
    private static IEnumerable<KeyValuePair<string, string?>> VcfSettings(VcfOptions vcf)
    {
        const string Vcf = VcfOptions.SectionName + ":";
        if (vcf.GenomeBuild is { } build) yield return new(Vcf + nameof(VcfOptions.GenomeBuild), build);
        if (vcf.RegionsBed is { } regions) yield return new(Vcf + nameof(VcfOptions.RegionsBed), regions);
        for (var i = 0; i < vcf.Genes.Count; i++)
            yield return new(string.Create(CultureInfo.InvariantCulture, $"{Vcf}{nameof(VcfOptions.Genes)}:{i}"), vcf.Genes[i]);
        yield return new(Vcf + nameof(VcfOptions.GenomicSourceClass), vcf.GenomicSourceClass);
        yield return new(Vcf + nameof(VcfOptions.SampleSex), vcf.SampleSex.ToString());
        yield return new(Vcf + nameof(VcfOptions.OnlyKnownVariants), vcf.OnlyKnownVariants.ToString());
        yield return new(Vcf + nameof(VcfOptions.RequirePassFilter), vcf.RequirePassFilter.ToString());
        yield return new(Vcf + nameof(VcfOptions.MaxReportableVariants), vcf.MaxReportableVariants.ToString(CultureInfo.InvariantCulture));
    }

    private static List<string> ExpandPaths(IReadOnlyList<string> paths, out List<string> missing)
    {
        missing = [];
        var files = new List<string>();
        foreach (var path in paths)
        {
            // A VCF's manifest is read with its VCF, not ingested as a file of its own.
            if (File.Exists(path))
            {
                if (!VcfManifest.IsManifestName(Path.GetFileName(path))) files.Add(path);
            }
            else if (Directory.Exists(path))
                files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => !Path.GetFileName(f).StartsWith('.') && !VcfManifest.IsManifestName(Path.GetFileName(f))).Order(StringComparer.Ordinal));
            else missing.Add(path);
        }

        return files;
    }

    private static string BundleFileName(string name, int unit, int units, int part, int parts)
    {
        var stem = Path.GetFileNameWithoutExtension(name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? name[..^3] : name);
        var unitPart = units > 1 ? string.Create(CultureInfo.InvariantCulture, $".report-{unit + 1}") : string.Empty;
        var partPart = parts > 1 ? string.Create(CultureInfo.InvariantCulture, $".part-{part + 1}") : string.Empty;
        return $"{stem}{unitPart}{partPart}.transaction.json";
    }

    private static string Describe(DetectedFormat format) =>
        format.Compression == LabFileCompression.None ? format.Format.ToString() : $"{format.Format}+{format.Compression}";

    private static readonly JsonSerializerOptions ResultJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

/// <param name="Skipped">What the lab sent that was not mapped, with where and why (loss accounting).</param>
internal sealed record IngestResult(
    string File,
    string? Format,
    int Reports,
    int Resources,
    string Status,
    string? Reason,
    IReadOnlyList<string> Bundles,
    IReadOnlyList<string> Skipped)
{
    /// <summary>With <c>--fhir</c>: results an earlier version of a report wrote that this one no longer carries, now entered-in-error.</summary>
    public IReadOnlyList<string> Withdrawn { get; init; } = [];

    /// <summary>VCF: the data records by outcome (reported, outside-regions, ...) summed over the file's samples; null for other formats.</summary>
    public IReadOnlyDictionary<string, long>? RecordCounts { get; init; }

    /// <summary>VCF: the manifest read beside it (its file name), which says who its sample columns are; null when none.</summary>
    public string? Manifest { get; init; }

    /// <summary>With <c>--validate</c>: the errors the validator found in the file's bundles; null without it.</summary>
    public int? ValidationErrors { get; init; }
}
