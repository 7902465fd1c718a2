using Microsoft.Extensions.Options;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Enrichment;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Work;
using PrecisionMed.Testing.Vcf;

namespace PrecisionMed.Validation.Tests.Vcf;

/// <summary>
/// Runs a VCF test file through the real intake path (detect, decompress, plan, build every sample unit), enriched
/// and with pharmacogenes called from the embedded knowledge seed, as the pipeline's DI wires it.
/// </summary>
internal static class VcfPipeline
{
    public const string LabId = "lab-v";

    public static readonly DateTimeOffset ReceivedAt = new(2026, 3, 14, 9, 30, 0, TimeSpan.Zero);

    public static string Root => Path.Combine(AppContext.BaseDirectory, "TestData", "vcf");

    public static IEnumerable<string> Files() =>
        Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Where(path => path.EndsWith(".vcf", StringComparison.Ordinal) || path.EndsWith(".vcf.gz", StringComparison.Ordinal))
            .Select(path => Path.GetRelativePath(Root, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal);

    private static readonly KnowledgeLookup Knowledge =
        new(EmbeddedKnowledgeSeed.Instance, Options.Create(new KnowledgeOptions()), TimeProvider.System);

    public static async Task<IReadOnlyList<ReportTransaction>> RunAsync(string relativePath, CancellationToken cancellationToken, VcfOptions? options = null) =>
        await RunAsync(relativePath, await File.ReadAllBytesAsync(Path.Combine(Root, relativePath), cancellationToken), cancellationToken, options);

    public static async Task<IReadOnlyList<ReportTransaction>> RunAsync(string relativePath, byte[] bytes, CancellationToken cancellationToken, VcfOptions? options = null)
    {
        OpenLabFile open = _ => Task.FromResult<Stream>(new MemoryStream(bytes, writable: false));
        var format = new VcfFormat(Options.Create(options ?? new VcfOptions()), new StoreVariantKnowledge(Knowledge));
        var intake = new LabFileIntake([format], new ReportUnitBuilder(new ReportEnricher(Knowledge)));
        var plan = await intake.PlanAsync(open, cancellationToken);
        var units = new List<ReportTransaction>(plan.UnitCount);
        for (var unit = 0; unit < plan.UnitCount; unit++)
        {
            var provenance = new ReportProvenance(LabId, $"incoming/{LabId}/{relativePath}", plan.ContentHash,
                Path.GetFileName(relativePath), unit, plan.UnitCount, ReceivedAt, "test")
            {
                Manifest = TestVcfManifests.For(Path.GetFileName(relativePath), bytes),
            };
            units.Add(await intake.BuildUnitAsync(open, provenance, cancellationToken));
        }

        return units;
    }
}
