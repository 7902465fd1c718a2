using System.Text.Json.Nodes;
using PrecisionMed.Core.Fhir.Genomics;
using PrecisionMed.Core.Genomics.Index;

namespace PrecisionMed.Core.Pipeline.Reinterpretation;

/// <summary>
/// The MedicationRecommendation Tasks of one report, found as an EMR finds them: the report's recommended-action
/// references (src/Core/Fhir/Genomics/GenomicReportBuilder.cs writes one per Task), each Task matched to its implication
/// by its reasonReference. The report and its Tasks are read at most once, and only when an implication needs its Task.
/// </summary>
internal sealed class ReportTasks(IFhirWriter fhir, string report)
{
    private List<JsonObject>? _tasks;

    /// <summary>Reads and queries sent to the FHIR service.</summary>
    public int Requests { get; private set; }

    /// <summary>The Task whose reason is <paramref name="implication"/> (<c>Observation/id</c>), or null.</summary>
    public async Task<JsonObject?> OfAsync(string implication, CancellationToken cancellationToken)
    {
        _tasks ??= await ReadAsync(cancellationToken);
        return _tasks.FirstOrDefault(t => FhirFindings.References(t["reasonReference"]).Contains(implication, StringComparer.Ordinal));
    }

    private async Task<List<JsonObject>> ReadAsync(CancellationToken cancellationToken)
    {
        Requests++;
        var tasks = new List<JsonObject>();
        if (await fhir.ReadAsync(report, cancellationToken) is not { } diagnosticReport) return tasks;
        var references = (diagnosticReport["extension"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(e => (string?)e["url"] == GenomicsCodes.RecommendedActionExtension)
            .Select(e => (string?)e["valueReference"]?["reference"])
            .OfType<string>()
            .Where(r => r.StartsWith("Task/", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal);
        foreach (var reference in references)
        {
            Requests++;
            if (await fhir.ReadAsync(reference, cancellationToken) is { } task) tasks.Add(task);
        }

        return tasks;
    }
}
