using System.Text.Json.Nodes;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Formats.Hl7v2;
using PrecisionMed.Core.Knowledge.Enrichment;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Validation.Tests.Hl7v2;

/// <summary>Runs an HL7 v2 test file through the real intake path (plan, then build every unit), as <c>pmed ingest</c> does.</summary>
internal static class Hl7v2Pipeline
{
    public const string LabId = "lab-a";

    public static readonly DateTimeOffset ReceivedAt = new(2026, 3, 14, 9, 30, 0, TimeSpan.Zero);

    public static string Root => Path.Combine(AppContext.BaseDirectory, "TestData", "hl7v2");

    /// <summary>Every .hl7/.txt file under the given folders of TestData/hl7v2, as '/'-separated relative paths.</summary>
    public static IEnumerable<string> Files(params string[] folders) =>
        folders.SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Root, folder)))
            .Where(path => Path.GetExtension(path) is ".hl7" or ".txt")
            .Select(path => Path.GetRelativePath(Root, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal);

    public static async Task<IReadOnlyList<ReportTransaction>> RunAsync(string relativePath, CancellationToken cancellationToken) =>
        await RunAsync(await File.ReadAllBytesAsync(Path.Combine(Root, relativePath), cancellationToken), relativePath, cancellationToken);

    /// <summary>A message a test built, as if dropped as <paramref name="relativePath"/>.</summary>
    public static async Task<IReadOnlyList<ReportTransaction>> RunAsync(byte[] bytes, string relativePath, CancellationToken cancellationToken)
    {
        OpenLabFile open = _ => Task.FromResult<Stream>(new MemoryStream(bytes, writable: false));
        var intake = new LabFileIntake([new Hl7v2Format()], new ReportUnitBuilder(ReportEnricher.WithEmbeddedSeed()));
        var plan = await intake.PlanAsync(open, cancellationToken);
        var units = new List<ReportTransaction>(plan.UnitCount);
        for (var unit = 0; unit < plan.UnitCount; unit++)
        {
            var provenance = new ReportProvenance(LabId, $"incoming/{LabId}/{relativePath}", plan.ContentHash,
                Path.GetFileName(relativePath), unit, plan.UnitCount, ReceivedAt, "test");
            units.Add(await intake.BuildUnitAsync(open, provenance, cancellationToken));
        }

        return units;
    }

    public static IEnumerable<JsonObject> Resources(JsonObject bundle) =>
        bundle["entry"]!.AsArray().Select(e => e!["resource"]!.AsObject());
}
