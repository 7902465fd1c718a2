using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Review;
using PrecisionMed.Core.Pipeline.Work;
using PrecisionMed.Testing.Fuzzing;

namespace PrecisionMed.Core.Tests.Pipeline;

/// <summary>
/// Fuzz: 10,000 fixed-seed mutations each of corpus HL7 v2, VCF and FHIR files through intake and
/// processing as the functions run them (arrival, then every work item), with fakes at the ports. No exception may
/// escape, and every file must be accounted for: the ledger holds it in a terminal state (Completed or Rejected with a
/// reason), each of its units Completed or Rejected with a reason, and the original is in archive/ or rejected/. A
/// mutation that changes a patient's name, birth date or sex under an identifier an earlier case already wrote is held
/// for review, as it must be: then the file is Held, each held unit says why, the original stays in incoming/ and its
/// copy is in review/.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class PipelineFuzzTests
{
    private static readonly int Cases = FuzzCases.Of(10_000);

    /// <summary>Seeds are the small corpus files: the work per case, not the count of cases, is what is kept low.</summary>
    private const int MaxSeedBytes = 20_000;

    [Fact]
    public Task ArrivalAndWork_MutatedHl7v2Corpus_EveryFileAccountedForAndNothingEscapes() =>
        FuzzAsync(LabFileSyntax.Hl7v2, Seeds(["hl7v2/authored", "hl7v2/general-lab", "hl7v2/genomic"], ".hl7", ".txt"), ".hl7", seed: 7_001);

    [Fact]
    public Task ArrivalAndWork_MutatedVcfCorpus_EveryFileAccountedForAndNothingEscapes() =>
        FuzzAsync(LabFileSyntax.Vcf, Seeds(["vcf/vcf2fhir", "vcf/edge", "vcf/pgx", "vcf/annotated"], ".vcf", ".gz"), ".vcf", seed: 7_002);

    [Fact]
    public Task ArrivalAndWork_MutatedFhirCorpus_EveryFileAccountedForAndNothingEscapes() =>
        FuzzAsync(LabFileSyntax.FhirJson, [.. Seeds(["fhir/ig-examples"], ".json"), ("synthetic", Encoding.UTF8.GetBytes(SyntheticBundles.TwoReportsSharingAPatient))],
            ".json", seed: 7_003);

    private static async Task FuzzAsync(LabFileSyntax syntax, List<(string Name, byte[] Content)> seeds, string extension, int seed)
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.True(seeds.Count >= 4, $"only {seeds.Count} {syntax.Name} seed files");
        using var harness = new PipelineHarness(logLevel: LogLevel.Warning);
        harness.Writer.KeepsWritten = false;
        var mutator = new LabFileMutator(seed, syntax);
        var failures = new List<string>();
        var cases = new List<(int Case, string Seed, string Name, string FileId)>(Cases);
        var arrivals = new Dictionary<ArrivalOutcome, int>();
        var work = new Dictionary<WorkOutcome, int>();
        var processed = 0;
        var stopwatch = Stopwatch.StartNew();

        for (var i = 0; i < Cases; i++)
        {
            var (seedName, original) = seeds[i % seeds.Count];
            var bytes = mutator.Mutate(original);
            var name = string.Create(CultureInfo.InvariantCulture, $"fuzz/{i:D5}{extension}");
            cases.Add((i, seedName, name, PipelineHarness.FileIdOf(bytes)));
            try
            {
                var arrival = await harness.DropAsync(bytes, name);
                arrivals[arrival] = arrivals.GetValueOrDefault(arrival) + 1;
                while (processed < harness.Queue.Messages.Count)
                {
                    var outcome = await harness.Work.HandleAsync(harness.Queue.Messages[processed++], ct);
                    work[outcome] = work.GetValueOrDefault(outcome) + 1;
                    if (outcome is not (WorkOutcome.Completed or WorkOutcome.Rejected or WorkOutcome.Held)) failures.Add($"case {i} ({seedName}): work item {outcome}");
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures.Add($"case {i} ({seedName}): {ex.GetType().Name} escaped: {ex.Message}{Environment.NewLine}{ex.StackTrace}");
                processed = harness.Queue.Messages.Count;
            }
        }

        var elapsed = stopwatch.Elapsed;
        var (completedUnits, rejectedUnits, heldUnits) = (0, 0, 0);
        foreach (var (i, seedName, name, fileId) in cases)
        {
            var unaccounted = await UnaccountedAsync(harness, name, fileId, ct);
            if (unaccounted is not null) failures.Add($"case {i} ({seedName}): {unaccounted}");
        }

        foreach (var file in harness.Ledger.Files)
        {
            foreach (var unit in await harness.Ledger.ListUnitsAsync(file.FileId, ct))
            {
                if (unit.State == UnitState.Completed) completedUnits++;
                else if (unit.State == UnitState.Held) heldUnits++;
                else rejectedUnits++;
            }
        }

        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{syntax.Name}: {Cases} mutated files from {seeds.Count} seeds in {elapsed.TotalSeconds:F1} s; arrivals {Describe(arrivals)}; "
            + $"work items {Describe(work)}; ledger: {harness.Ledger.Files.Count(f => f.State == FileState.Completed)} files completed, "
            + $"{harness.Ledger.Files.Count(f => f.State == FileState.Rejected)} rejected, "
            + $"{harness.Ledger.Files.Count(f => f.State == FileState.Held)} held; units {completedUnits} completed, {rejectedUnits} rejected, {heldUnits} held");
        TestContext.Current.SendDiagnosticMessage(summary);
        TestContext.Current.TestOutputHelper?.WriteLine(summary);

        Assert.True(failures.Count == 0, $"{failures.Count} failure(s); {summary}{Environment.NewLine}{string.Join(Environment.NewLine, failures.Take(10))}");

        // Both outcomes must be common, or the mutations prove little.
        Assert.True(completedUnits > Cases / 20, summary);
        Assert.True(arrivals.GetValueOrDefault(ArrivalOutcome.Rejected) + rejectedUnits > Cases / 20, summary);
    }

    /// <summary>Why a dropped file is not accounted for, or null when it is.</summary>
    private static async Task<string?> UnaccountedAsync(PipelineHarness harness, string name, string fileId, CancellationToken ct)
    {
        var file = await harness.Ledger.FindFileAsync(fileId, ct);
        if (file?.State == FileState.Held) return await UnaccountedHeldAsync(harness, name, file, ct);
        if (harness.Store.Exists(PipelineHarness.Incoming(name))) return "the original is still in incoming/";
        if (file is null) return "no ledger file";
        if (!harness.Store.Exists(LabFileOriginals.Archived(PipelineHarness.LabId, file.ContentHash, name))
            && !harness.Store.Exists(LabFileOriginals.Rejected(PipelineHarness.LabId, file.ContentHash, name)))
            return "the original is in neither archive/ nor rejected/";

        if (file.State is not (FileState.Completed or FileState.Rejected)) return $"ledger file {file.State}";
        if (file.State == FileState.Rejected && string.IsNullOrWhiteSpace(file.Problem?.Reason)) return "rejected without a reason";

        var units = await harness.Ledger.ListUnitsAsync(fileId, ct);
        if (file.UnitCount is > 0 && units.Count != file.UnitCount) return $"{units.Count} of {file.UnitCount} units in the ledger";
        foreach (var unit in units)
        {
            if (unit.State == UnitState.Rejected && string.IsNullOrWhiteSpace(unit.Problem?.Reason)) return $"unit {unit.UnitIndex} rejected without a reason";
            if (unit.State is not (UnitState.Completed or UnitState.Rejected)) return $"unit {unit.UnitIndex} {unit.State}";
        }

        return null;
    }

    private static async Task<string?> UnaccountedHeldAsync(PipelineHarness harness, string name, LedgerFile file, CancellationToken ct)
    {
        if (file.BlobName != name)
        {
            // The same bytes as an earlier case's held file (a mutation can give them back): this copy is kept beside it under
            // its content hash, and the earlier one stays held in incoming/.
            return harness.Store.Exists(LabFileOriginals.Archived(PipelineHarness.LabId, file.ContentHash, name))
                ? null : "a copy of a held file's content is in neither incoming/ nor archive/";
        }

        if (!harness.Store.Exists(PipelineHarness.Incoming(name))) return "held, but the original is gone from incoming/";
        if (!harness.Store.Exists(ReviewArea.CopyOf(PipelineHarness.LabId, file.ContentHash, name))) return "held, but no copy in review/";
        var units = await harness.Ledger.ListUnitsAsync(file.FileId, ct);
        if (!units.Any(u => u.State == UnitState.Held)) return "file Held with no held unit";
        foreach (var unit in units)
        {
            if (unit.State is UnitState.Held or UnitState.Rejected && string.IsNullOrWhiteSpace(unit.Problem?.Reason)) return $"unit {unit.UnitIndex} {unit.State} without a reason";
            if (unit.State is not (UnitState.Completed or UnitState.Rejected or UnitState.Held)) return $"unit {unit.UnitIndex} {unit.State}";
            if (unit.State == UnitState.Held && !harness.Store.Exists(ReviewArea.HeldReportOf(PipelineHarness.LabId, file.ContentHash, name, unit.UnitIndex)))
                return $"unit {unit.UnitIndex} held without its review/ reason";
        }

        return null;
    }

    private static string Describe<T>(Dictionary<T, int> counts)
        where T : notnull =>
        string.Join(", ", counts.OrderBy(c => c.Key.ToString()).Select(c => $"{c.Value} {c.Key}"));

    private static List<(string Name, byte[] Content)> Seeds(string[] folders, params string[] extensions) =>
    [
        .. from folder in folders
           from path in Directory.EnumerateFiles(TestFiles.PathOf(folder)).Order(StringComparer.Ordinal)
           where extensions.Any(e => path.EndsWith(e, StringComparison.Ordinal)) && new FileInfo(path).Length <= MaxSeedBytes
           select ($"{folder}/{Path.GetFileName(path)}", File.ReadAllBytes(path)),
    ];
}
