using System.Text.Json.Nodes;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir.Genomics;

public static partial class GenomicReportBuilder
{
    /// <summary>
    /// A knowledge-store implication added to a lab's own FHIR bundle: the same Observation as an HL7 v2 report's store
    /// implication (profile, categories, citation, note, components), about the lab's subject and derived from the
    /// lab's resources by the references they have in the transaction. Values that fit no slice are left out and named
    /// in <paramref name="skipped"/>.
    /// </summary>
    internal static JsonObject StoreImplication(
        string id, JsonNode subject, IReadOnlyList<string> derivedFrom, DiagnosticImplicationFinding? diagnostic,
        TherapeuticImplicationFinding? therapeutic, List<(string Path, string Field, string Reason)> skipped)
    {
        var path = diagnostic is not null ? $"diagnostic implication {diagnostic.Key}" : $"therapeutic implication {therapeutic!.Key}";
        IEnumerable<(ComponentSlice Slice, ReportedValue? Value)> values = diagnostic is not null
            ?
            [
                (ComponentSlices.ClinicalSignificance, diagnostic.ClinicalSignificance),
                (ComponentSlices.EvidenceLevel, diagnostic.EvidenceLevel),
                .. diagnostic.PredictedPhenotypes.Select(p => (ComponentSlices.PredictedPhenotype, (ReportedValue?)p)),
                (ComponentSlices.ModeOfInheritance, diagnostic.ModeOfInheritance),
                (ComponentSlices.ConclusionString, Text(diagnostic.Conclusion)),
            ]
            :
            [
                (ComponentSlices.EvidenceLevel, therapeutic!.EvidenceLevel),
                (ComponentSlices.MedicationAssessed, therapeutic.Medication),
                .. therapeutic.Implications.Select(i => (ComponentSlices.TherapeuticImplication, (ReportedValue?)i)),
                (ComponentSlices.ConclusionString, Text(therapeutic.Conclusion)),
            ];
        var components = new List<(ComponentSlice, ReportedValue, string?)>();
        foreach (var (slice, value) in values)
        {
            if (value is null) continue;
            if (slice.Fits(value, out var reason)) components.Add((slice, value, null));
            else skipped.Add((path, slice.Code, reason!));
        }

        var url = diagnostic is not null ? diagnostic.CitationUrl : therapeutic!.GuidelineUrl;
        var citation = Uri.TryCreate(url, UriKind.Absolute, out var cited) ? cited.OriginalString : null;
        if (citation is null && !string.IsNullOrWhiteSpace(url)) skipped.Add((path, "guideline", "the guideline is not an absolute URL"));

        var bytes = FhirJson.Utf8(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("resourceType", "Observation");
            writer.WriteString("id", id);
            FhirJson.WriteMeta(writer, diagnostic is not null ? GenomicsCodes.DiagnosticImplicationProfile : GenomicsCodes.TherapeuticImplicationProfile);
            writer.WriteString("status", "final");
            writer.WriteStartArray("category");
            FhirJson.WriteConcept(writer, GenomicsCodes.ObservationCategorySystem, "laboratory", "Laboratory");
            FhirJson.WriteConcept(writer, GenomicsCodes.DiagnosticServiceSystem, "GE", "Genetics");
            writer.WriteEndArray();
            writer.WritePropertyName("code");
            if (diagnostic is not null) FhirJson.WriteConcept(writer, GenomicsCodes.TbdCodes, GenomicsCodes.DiagnosticImplication, "Diagnostic Implication");
            else FhirJson.WriteConcept(writer, GenomicsCodes.TbdCodes, GenomicsCodes.TherapeuticImplication, "Therapeutic Implication");
            writer.WritePropertyName("subject");
            subject.WriteTo(writer);
            WriteCitation(writer, citation);
            WriteNote(writer, diagnostic is not null ? diagnostic.Note : therapeutic!.Note);
            WriteDerivedFrom(writer, [.. derivedFrom]);
            WriteComponents(writer, components);
            writer.WriteEndObject();
        });
        return JsonNode.Parse(bytes)!.AsObject();
    }

    /// <summary>The store implication's recommendation as a MedicationRecommendation Task, as an HL7 v2 report's has; null without one.</summary>
    internal static JsonObject? StoreRecommendation(string id, JsonNode subject, string implicationReference, TherapeuticImplicationFinding implication)
    {
        if (!FhirJson.HasConcept(implication.Recommendation)) return null;
        var bytes = FhirJson.Utf8(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("resourceType", "Task");
            writer.WriteString("id", id);
            FhirJson.WriteMeta(writer, GenomicsCodes.MedicationRecommendationProfile);
            writer.WriteString("status", "requested");
            writer.WriteString("intent", "proposal");
            FhirJson.TryWriteConcept(writer, "code", implication.Recommendation);
            if (implication.Recommendation?.Text is { Length: > 0 } text) writer.WriteString("description", text);
            writer.WritePropertyName("for");
            subject.WriteTo(writer);
            FhirJson.WriteReference(writer, "reasonReference", implicationReference);
            writer.WriteEndObject();
        });
        return JsonNode.Parse(bytes)!.AsObject();
    }
}
