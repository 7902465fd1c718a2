using System.Diagnostics;
using System.Globalization;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Cli.Validate;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Formats;
using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.Genomics.Operations;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Review;
using PrecisionMed.Core.Pipeline.Work;
using PrecisionMed.Validation;

namespace PrecisionMed.Cli.Ingest;

/// <summary>
/// One file through the pipeline as the functions run it (intake's plan, each unit mapped, built and written by
/// <see cref="ReportUnitPipeline"/>), with the bundles written to the output folder and optionally to <c>--fhir</c>.
/// The file is read once into memory when small enough, and every unit is mapped from those bytes.
/// </summary>
/// <remarks>With <c>--fhir</c>, what a unit wrote is indexed as the worker indexes it (<see cref="GenomicIndexWriter"/>: in Cosmos DB with <c>--cosmos</c>).</remarks>
internal sealed class IngestFile(
    IngestOptions options, LabFileIntake intake, ReportUnitBuilder builder, IFhirWriter? writer, FhirProfileValidator? validator, TextWriter stderr,
    GenomicIndexWriter? genomicIndex = null)
{
    /// <summary>What the FHIR and index writes of every unit took (<c>--timings</c>).</summary>
    public IngestWriteCosts WriteCosts { get; } = new();

    /// <param name="outputStem">The start of the names of the file's bundles in the output folder, unique in the run (<see cref="IngestPaths.OutputStems"/>).</param>
    public async Task<IngestResult> RunAsync(string path, string outputStem, PatientIdentifier? stated, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(path);
        string? manifestName = null;
        // Before it is opened: opening a named pipe waits for a writer, for ever when there is none.
        if (SpecialFile.KindOf(path) is { } kind) return new IngestResult(path, null, 0, 0, "rejected", SpecialFile.NotRead(kind), [], []);
        try
        {
            var source = LabFileSource.Read(path);
            var fullPath = Path.GetFullPath(path);
            var plan = await intake.PlanAsync(source.Open, cancellationToken);
            VcfManifest? manifest = null;
            if (plan.Format.Format == LabFileFormat.Vcf)
            {
                var manifestPath = VcfManifest.NameFor(path);
                if (stated is not null) manifest = VcfManifest.ForSingleSample(name, stated, options.Accession);
                else if (File.Exists(manifestPath))
                {
                    manifestName = Path.GetFileName(manifestPath);
                    (manifest, var problem) = await ReadManifestAsync(manifestPath, name, cancellationToken);
                    if (problem is not null)
                        return new IngestResult(path, Describe(plan.Format), plan.UnitCount, 0, "rejected", $"{manifestName}: {problem}", [], []) { Manifest = manifestName };
                }
            }

            var totals = new IngestTotals();
            for (var unit = 0; unit < plan.UnitCount; unit++)
            {
                var provenance = new ReportProvenance(
                    options.LabId, fullPath, plan.ContentHash, name, unit, plan.UnitCount,
                    source.LastWriteUtc, PipelineOptions.CurrentVersion) { Manifest = manifest };
                await IngestUnitAsync(source, plan, provenance, outputStem, totals, cancellationToken);
            }

            return totals.Result(path, Describe(plan.Format), plan.UnitCount, validator is not null) with { Manifest = manifestName };
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

    private async Task IngestUnitAsync(
        LabFileSource source, IntakePlan plan, ReportProvenance provenance, string outputStem, IngestTotals totals, CancellationToken cancellationToken)
    {
        var unit = provenance.UnitIndex;
        ReportTransaction transaction;
        try
        {
            // HL7 v2 messages of a file in memory are mapped from their own bytes, found by the plan.
            var mapped = plan.Ranges is { } ranges && source.Bytes is { } bytes
                ? await intake.MapUnitAsync(plan.Format.Format, ranges[unit], bytes.AsMemory(checked((int)ranges[unit].Offset), ranges[unit].Length), provenance, cancellationToken)
                : await intake.MapUnitAsync(source.Open, provenance, cancellationToken);
            transaction = await builder.BuildAsync(mapped, cancellationToken);
        }
        catch (VcfIdentityMissingException ex)
        {
            // As the pipeline holds it: nothing of the unit is written, here or to --fhir.
            totals.Held.Add(ex.Message);
            return;
        }

        using var built = transaction;
        var files = Enumerable.Range(0, transaction.BundleCount)
            .Select(part => Path.Combine(options.Output.FullName, IngestPaths.BundleFileName(outputStem, unit, plan.UnitCount, part, transaction.BundleCount)))
            .ToList();
        var target = new IngestTarget(files, transaction, options.Pretty, writer);
        var unitWriter = writer;
        if (validator is not null)
        {
            var findings = target.Validate(validator);
            foreach (var line in findings.SelectMany(f => FindingsOutput.Lines(f, withWarnings: false))) await stderr.WriteLineAsync($"pmed ingest: {line}");
            totals.ValidationErrors += findings.Sum(e => e.Errors);
            totals.InvalidBundles.AddRange(findings.Where(e => e.Errors > 0).Select(e => Path.GetFileName(e.File)));

            // An invalid unit is written to --out for inspection but nothing of it reaches the FHIR server.
            if (findings.Any(e => e.Errors > 0)) unitWriter = target.Fhir = null;
        }

        totals.Skipped.AddRange(transaction.Skipped.Select(s => plan.UnitCount > 1 ? $"report {unit + 1}: {s}" : s.ToString()));
        foreach (var (outcome, count) in transaction.RecordCounts) totals.RecordCounts[outcome] = totals.RecordCounts.GetValueOrDefault(outcome) + count;
        var writing = Stopwatch.GetTimestamp();
        var write = await ReportUnitPipeline.WriteAsync(transaction, plan.ContentHash, unitWriter, target, cancellationToken);
        if (unitWriter is not null) WriteCosts.AddFhirWrite(Stopwatch.GetElapsedTime(writing));
        if (write.Withdrawal is { } withdrawal) totals.Withdrawn.AddRange(withdrawal.References);
        if (write.Held)
        {
            totals.Held.Add(HeldReport.ReasonForAnotherPatient);
            return;
        }

        if (genomicIndex is not null)
        {
            var indexing = Stopwatch.GetTimestamp();
            var cost = OperationCost.Begin();
            var entries = await genomicIndex.WriteAsync(transaction, write, cancellationToken);
            WriteCosts.AddIndexWrite(Stopwatch.GetElapsedTime(indexing), entries, cost.StoreRequests);
        }

        totals.Resources += transaction.ResourceCount;
        totals.Bundles.AddRange(target.Written);
    }

    /// <summary>The manifest, or its problem (JSON path and reason, no value) when it is not usable for the VCF <paramref name="vcfName"/>.</summary>
    private static async Task<(VcfManifest? Manifest, string? Problem)> ReadManifestAsync(string manifestPath, string vcfName, CancellationToken cancellationToken)
    {
        if (SpecialFile.KindOf(manifestPath) is { } kind) return (null, SpecialFile.NotRead(kind));
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

    private static string Describe(DetectedFormat format) =>
        format.Compression == LabFileCompression.None ? format.Format.ToString() : $"{format.Format}+{format.Compression}";
}

/// <summary>What one file's units came to, summed.</summary>
internal sealed class IngestTotals
{
    public List<string> Held { get; } = [];
    public List<string> Bundles { get; } = [];
    public List<string> Skipped { get; } = [];
    public List<string> Withdrawn { get; } = [];
    public List<string> InvalidBundles { get; } = [];
    public SortedDictionary<string, long> RecordCounts { get; } = new(StringComparer.Ordinal);
    public int Resources { get; set; }
    public int ValidationErrors { get; set; }

    public IngestResult Result(string path, string format, int reports, bool validated)
    {
        var invalid = InvalidBundles.Count > 0;
        return new IngestResult(
            path, format, reports, Resources, Held.Count > 0 ? "held" : invalid ? "invalid" : "ingested",
            Held.Count > 0 ? string.Join("; ", Held)
            : invalid ? string.Create(CultureInfo.InvariantCulture, $"{ValidationErrors} validation error(s) in {string.Join(", ", InvalidBundles)}") : null,
            Bundles, Skipped)
        {
            Withdrawn = Withdrawn,
            RecordCounts = RecordCounts.Count > 0 ? RecordCounts : null,
            ValidationErrors = validated ? ValidationErrors : null,
        };
    }
}
