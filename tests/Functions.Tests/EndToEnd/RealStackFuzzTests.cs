using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Review;
using PrecisionMed.Functions.Tests.Hosting;
using PrecisionMed.Testing.Fuzzing;
using PrecisionMed.Testing.Stack;
using PrecisionMed.Testing.Vcf;

namespace PrecisionMed.Functions.Tests.EndToEnd;

/// <summary>
/// A bounded sample of the fuzz on the real stack: 100 fixed-seed mutations each of corpus HL7 v2, VCF and
/// FHIR files (the in-memory fuzz's mutator and seeds; Core.Tests runs 10,000 a format on fakes) dropped through
/// LabFileArrivedFunction and ReportQueuedFunction on Azurite, the Cosmos DB emulator and the FHIR dev server. No
/// exception may escape a function, and every file must be accounted for by the ledger and the blob areas:
/// Completed (original in archive/), Rejected with its error report (original and <c>.error.json</c> in rejected/),
/// Held (original kept in incoming/, copy and each held unit's reason in review/), or Failed (original kept in
/// incoming/ for replay).
/// </summary>
[Trait("Tier", "Stack")]
public sealed class RealStackFuzzTests(LocalStackFixture stack)
{
    private const int Cases = 100;
    private const int MaxSeedBytes = 20_000;

    [Fact]
    public Task ArrivalAndWork_MutatedHl7v2Corpus_EveryFileAccountedForAndNothingEscapes() =>
        FuzzAsync("lab-fuzz-hl7", LabFileSyntax.Hl7v2, Seeds(["hl7v2/authored", "hl7v2/general-lab", "hl7v2/genomic"], ".hl7", ".txt"), ".hl7", seed: 7_101);

    [Fact]
    public Task ArrivalAndWork_MutatedVcfCorpus_EveryFileAccountedForAndNothingEscapes() =>
        FuzzAsync("lab-fuzz-vcf", LabFileSyntax.Vcf, Seeds(["vcf/vcf2fhir", "vcf/edge", "vcf/pgx", "vcf/annotated"], ".vcf", ".gz"), ".vcf", seed: 7_102);

    [Fact]
    public Task ArrivalAndWork_MutatedFhirCorpus_EveryFileAccountedForAndNothingEscapes() =>
        FuzzAsync("lab-fuzz-fhir", LabFileSyntax.FhirJson, Seeds(["fhir/ig-examples"], ".json"), ".json", seed: 7_103);

    private async Task FuzzAsync(string lab, LabFileSyntax syntax, List<(string Name, byte[] Content)> seeds, string extension, int seed)
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.True(seeds.Count >= 4, $"only {seeds.Count} {syntax.Name} seed files");
        await using var host = new PipelineHost(stack.Stack);
        var mutator = new LabFileMutator(seed, syntax);
        var cases = Enumerable.Range(0, Cases).Select(i =>
        {
            var (seedName, original) = seeds[i % seeds.Count];
            return (Case: i, Seed: seedName, Name: string.Create(CultureInfo.InvariantCulture, $"fuzz/{i:D3}{extension}"), Content: mutator.Mutate(original));
        }).ToList();
        var failures = new List<string>();
        var stopwatch = Stopwatch.StartNew();

        // Arrivals a few at a time, as the host runs blob triggers; then the work queue as the host drains it.
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (c, token) =>
        {
            // A VCF comes with its manifest (read when its units are built), so mutated VCFs reach the mapper, not only the wait.
            if (syntax == LabFileSyntax.Vcf)
                await host.UploadAsync(lab, VcfManifest.NameFor(c.Name), TestVcfManifests.Json(c.Name[(c.Name.LastIndexOf('/') + 1)..], c.Content), token);
            await host.UploadAsync(lab, c.Name, c.Content, token);
            try
            {
                await host.ArriveAsync(lab, c.Name, token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                lock (failures) failures.Add($"case {c.Case} ({c.Seed}): {ex.GetType().Name} escaped LabFileArrivedFunction: {ex.Message}");
            }
        });
        var arrived = stopwatch.Elapsed;
        var drained = await host.DrainWithRedeliveryAsync(batchSize: 16, TimeSpan.FromMilliseconds(200), maxDequeueCount: 2, ct);
        if (drained.Failures > 0)
            failures.Add($"{drained.Failures} deliveries threw out of ReportQueuedFunction ({string.Join(", ", drained.FailuresByType.Select(f => $"{f.Key} {f.Value}"))})");

        var states = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in cases)
        {
            var fileId = LabFileIds.For(lab, Convert.ToHexStringLower(SHA256.HashData(c.Content)));
            var (state, unaccounted) = await AccountForAsync(host, lab, c.Name, fileId, ct);
            states[state] = states.GetValueOrDefault(state) + 1;
            if (unaccounted is not null) failures.Add($"case {c.Case} ({c.Seed}): {unaccounted}");
        }

        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{syntax.Name} on the real stack: {Cases} mutated files from {seeds.Count} seeds, arrived in {arrived.TotalSeconds:F1} s, all done in {stopwatch.Elapsed.TotalSeconds:F1} s; " +
            $"{drained.Deliveries} work item deliveries; files {string.Join(", ", states.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Value} {s.Key}"))}");
        TestContext.Current.SendDiagnosticMessage(summary);
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        Assert.True(failures.Count == 0, $"{failures.Count} failure(s); {summary}{Environment.NewLine}{string.Join(Environment.NewLine, failures.Take(10))}");
    }

    /// <summary>The file's ledger state (or why there is none), and why it is not accounted for, or null when it is.</summary>
    private static async Task<(string State, string? Unaccounted)> AccountForAsync(PipelineHost host, string lab, string name, string fileId, CancellationToken ct)
    {
        var path = $"{lab}/{name}";
        var file = await host.Ledger.FindFileAsync(fileId, ct);
        if (file is null) return ("missing", "no ledger file");
        var state = file.State.ToString();
        var inIncoming = await host.ExistsAsync(LabFileAreas.Incoming, path, ct);
        var units = await host.Ledger.ListUnitsAsync(fileId, ct);
        if (file.UnitCount > 0 && units.Count != file.UnitCount) return (state, $"{units.Count} of {file.UnitCount} units in the ledger");
        if (units.FirstOrDefault(u => u.State is UnitState.Rejected or UnitState.Held or UnitState.Failed && string.IsNullOrWhiteSpace(u.Problem?.Reason)) is { } silent)
            return (state, $"unit {silent.UnitIndex} {silent.State} without a reason");

        // A mutation can repeat an earlier case's bytes: that file holds the ledger record, and this copy goes where
        // it went (rejected/, else archive/, also while the first is still being worked on).
        if (file.BlobName != name)
        {
            if (inIncoming) return (state, "a duplicate still in incoming/");
            var moved = await host.ExistsAsync(LabFileAreas.Archive, LabFileOriginals.Archived(lab, file.ContentHash, name).Path, ct)
                || await host.ExistsAsync(LabFileAreas.Rejected, LabFileOriginals.Rejected(lab, file.ContentHash, name).Path, ct);
            return (state, moved ? null : "a duplicate in neither archive/ nor rejected/");
        }

        switch (file.State)
        {
            case FileState.Completed:
                if (units.Any(u => u.State != UnitState.Completed)) return (state, "file Completed with a unit that is not");
                if (inIncoming) return (state, "Completed, but the original is still in incoming/");
                if (!await host.ExistsAsync(LabFileAreas.Archive, LabFileOriginals.Archived(lab, file.ContentHash, name).Path, ct))
                    return (state, "Completed, but the original is not in archive/{lab}/{hash}/");
                return (state, null);
            case FileState.Rejected:
                if (string.IsNullOrWhiteSpace(file.Problem?.Reason)) return (state, "rejected without a reason");
                if (inIncoming) return (state, "Rejected, but the original is still in incoming/");
                var rejected = LabFileOriginals.Rejected(lab, file.ContentHash, name).Path;
                if (!await host.ExistsAsync(LabFileAreas.Rejected, rejected, ct)) return (state, "Rejected, but the original is not in rejected/{lab}/{hash}/");
                if (!await host.ExistsAsync(LabFileAreas.Rejected, rejected + ".error.json", ct)) return (state, "Rejected without its error report in rejected/");
                return (state, null);
            case FileState.Held:
                if (!inIncoming) return (state, "Held, but the original is gone from incoming/");
                if (!await host.ExistsAsync(LabFileAreas.Review, ReviewArea.CopyOf(lab, file.ContentHash, name).Path, ct)) return (state, "Held, but no copy in review/");
                foreach (var unit in units.Where(u => u.State == UnitState.Held))
                {
                    if (!await host.ExistsAsync(LabFileAreas.Review, ReviewArea.HeldReportOf(lab, file.ContentHash, name, unit.UnitIndex).Path, ct))
                        return (state, $"unit {unit.UnitIndex} held without its review/ reason");
                }

                return units.Any(u => u.State == UnitState.Held) ? (state, null) : (state, "file Held with no held unit");
            case FileState.Failed:
                if (string.IsNullOrWhiteSpace(file.Problem?.Reason) && !units.Any(u => u.State == UnitState.Failed)) return (state, "Failed without a reason");
                return inIncoming ? (state, null) : (state, "Failed, but the original is gone from incoming/");
            default:
                return (state, $"ledger file still {file.State}");
        }
    }

    private static List<(string Name, byte[] Content)> Seeds(string[] folders, params string[] extensions) =>
    [
        .. from folder in folders
           from path in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "TestData", folder)).Order(StringComparer.Ordinal)
           where extensions.Any(e => path.EndsWith(e, StringComparison.Ordinal)) && new FileInfo(path).Length <= MaxSeedBytes
           select ($"{folder}/{Path.GetFileName(path)}", File.ReadAllBytes(path)),
    ];
}
