using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using PrecisionMed.Core.Caching;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir.Genomics;

// Diagnostic and therapeutic implications, with their recommendations and citations.
public static partial class GenomicReportBuilder
{
    private static void AddDiagnosticImplication(GenomicBuildContext context, DiagnosticImplicationFinding implication)
    {
        var path = $"diagnostic implication {implication.Key}";
        var derivedFrom = context.Findings.DerivedFrom(implication.DerivedFromKeys, AnyFinding, path, context.Skipped);
        if (derivedFrom.Count == 0)
        {
            context.Skip(path, "derivedFrom", "the implication is derived from no finding of this report (the IG requires one)");
            return;
        }

        var id = context.Ids.NewId("DiagnosticImplication", implication.Key);
        var citation = Citation(context, path, implication.CitationUrl);
        var components = Components(
            context,
            path,
            [
                (ComponentSlices.ClinicalSignificance, implication.ClinicalSignificance),
                (ComponentSlices.EvidenceLevel, implication.EvidenceLevel),
                .. implication.PredictedPhenotypes.Select(p => (ComponentSlices.PredictedPhenotype, (ReportedValue?)p)),
                (ComponentSlices.ModeOfInheritance, implication.ModeOfInheritance),
                (ComponentSlices.ConclusionString, Text(implication.Conclusion)),
            ]);
        WriteImplication(
            context, id, GenomicsCodes.DiagnosticImplicationProfile,
            (GenomicsCodes.TbdCodes, GenomicsCodes.DiagnosticImplication, "Diagnostic Implication"), citation, implication.Note, derivedFrom, ComponentJson(components));
    }

    private static string? AddTherapeuticImplication(GenomicBuildContext context, TherapeuticImplicationFinding implication)
    {
        var path = $"therapeutic implication {implication.Key}";
        var derivedFrom = context.Findings.DerivedFrom(implication.DerivedFromKeys, AnyFinding, path, context.Skipped);
        if (derivedFrom.Count == 0)
        {
            context.Skip(path, "derivedFrom", "the implication is derived from no finding of this report (the IG requires one)");
            return null;
        }

        var id = context.Ids.NewId("TherapeuticImplication", implication.Key);
        var citation = Citation(context, path, implication.GuidelineUrl);
        if (!TryCachedComponents(implication, out var componentJson))
        {
            var skipped = context.Skipped.Count;
            var components = Components(
                context,
                path,
                [
                    (ComponentSlices.EvidenceLevel, implication.EvidenceLevel),
                    (ComponentSlices.MedicationAssessed, implication.Medication),
                    .. implication.Implications.Select(i => (ComponentSlices.TherapeuticImplication, (ReportedValue?)i)),
                    (ComponentSlices.ConclusionString, Text(implication.Conclusion)),
                ]);
            componentJson = ComponentJson(components);

            // A finding whose components all fit is written the same way every time; one that lost some is worked out
            // again for each report, so each report's build lists what it skipped.
            if (context.Skipped.Count == skipped && CacheKeyOf(implication) is { } key)
                TherapeuticComponents.AddOrUpdate(key, new CachedComponents(implication.EvidenceLevel, implication.Medication, implication.Implications, implication.Conclusion, componentJson));
        }

        return WriteImplication(
            context, id, GenomicsCodes.TherapeuticImplicationProfile,
            (GenomicsCodes.TbdCodes, GenomicsCodes.TherapeuticImplication, "Therapeutic Implication"), citation, implication.Note, derivedFrom, componentJson);
    }

    /// <summary>
    /// A therapeutic implication's component array (evidence, drug, phenotypes, conclusion), as JSON, per finding: the
    /// store's interpretation of a results set is shared by the reports that have those results (PgxInterpretationCache),
    /// and its long conclusion is most of what writing the resource costs. Findings are immutable records.
    /// </summary>
    /// <remarks>
    /// Keyed by what a report's copy of the finding shares with the store's (a report whose lab disagrees gets the
    /// finding again with a note of its own, <c>with { Note = ... }</c>, and the same values): its implications list, else
    /// its medication; an entry serves only a finding with the very same four values the components are made of.
    /// </remarks>
    private static readonly ConditionalWeakTable<object, CachedComponents> TherapeuticComponents = [];

    private sealed record CachedComponents(CodedValue? EvidenceLevel, CodedValue? Medication, IReadOnlyList<CodedValue> Implications, string? Conclusion, byte[] Json);

    private static object? CacheKeyOf(TherapeuticImplicationFinding implication) =>
        implication.Implications.Count > 0 ? implication.Implications : implication.Medication;

    private static bool TryCachedComponents(TherapeuticImplicationFinding implication, out byte[] json)
    {
        json = [];
        if (CacheKeyOf(implication) is not { } key || !TherapeuticComponents.TryGetValue(key, out var cached)) return false;
        if (!ReferenceEquals(cached.EvidenceLevel, implication.EvidenceLevel) || !ReferenceEquals(cached.Medication, implication.Medication)
            || !ReferenceEquals(cached.Implications, implication.Implications) || !ReferenceEquals(cached.Conclusion, implication.Conclusion)) return false;
        json = cached.Json;
        return true;
    }

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_componentBuffer;

    /// <summary>The component array as the bundle writer would write it (compact, default encoder); empty for none.</summary>
    private static byte[] ComponentJson(List<(ComponentSlice, ReportedValue, string?)> components)
    {
        if (components.Count == 0) return [];
        var buffer = t_componentBuffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            ComponentSlice.WriteArray(writer, components);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A Diagnostic or Therapeutic implication Observation: what the two share, in the profiles' order.</summary>
    private static string WriteImplication(
        GenomicBuildContext context, Guid id, string profile, (string System, string Code, string Display) code, string? citation, string? note,
        List<string> derivedFrom, byte[] componentJson)
    {
        var writer = ObservationHead.Begin(context, id, profile, code, ObservationHead.Status(null, context.Report.Status), genomic: true);
        WriteCitation(writer, citation);
        WriteNote(writer, note);
        WriteDerivedFrom(writer, derivedFrom);
        if (componentJson.Length > 0)
        {
            writer.WritePropertyName("component");
            writer.WriteRawValue(componentJson, skipInputValidation: true);
        }

        var reference = context.Bundle.EndResource();
        context.Results.Add(reference);
        return reference;
    }

    /// <summary>The recommendation as a MedicationRecommendation Task, proposed to the patient's clinicians.</summary>
    private static string? AddRecommendation(GenomicBuildContext context, TherapeuticImplicationFinding implication, string implicationReference)
    {
        if (!FhirJson.HasConcept(implication.Recommendation)) return null;
        var writer = context.Bundle.BeginResource(
            "Task", context.Ids.NewId("MedicationRecommendation", implication.Key), GenomicsCodes.MedicationRecommendationProfile);
        writer.WriteString("status", "requested");
        writer.WriteString("intent", "proposal");
        FhirJson.TryWriteConcept(writer, "code", implication.Recommendation);
        if (implication.Recommendation?.Text is { Length: > 0 } text) writer.WriteString("description", text);
        FhirJson.WriteReference(writer, "for", context.Patient.FullUrl);
        FhirJson.WriteReference(writer, "reasonReference", implicationReference);
        return context.Bundle.EndResource();
    }

    /// <summary>The source of an implication (a CPIC guideline, a ClinVar record), or null (skipped when it is not a URL).</summary>
    private static string? Citation(GenomicBuildContext context, string path, string? url)
    {
        if (AbsoluteUrl(url) is { } citation) return citation;
        if (!string.IsNullOrWhiteSpace(url)) context.Skip(path, "guideline", "the guideline is not an absolute URL");
        return null;
    }

    /// <summary>The URL as written when it is an absolute URI, else null: parsed once per URL (citations come from the knowledge store, a few hundred of them).</summary>
    private static string? AbsoluteUrl(string? url) =>
        url is null ? null : AbsoluteUrls.GetOrAdd(url, url, static u => Uri.TryCreate(u, UriKind.Absolute, out var parsed) ? parsed.OriginalString : null);

    private static readonly BoundedCache<string?> AbsoluteUrls = new(1024);

    /// <summary>The citation as the IG's workflow-relatedArtifact extension.</summary>
    private static void WriteCitation(Utf8JsonWriter writer, string? citation)
    {
        if (citation is null) return;
        writer.WriteStartArray("extension");
        writer.WriteStartObject();
        writer.WriteString("url", GenomicsCodes.RelatedArtifactExtension);
        writer.WriteStartObject("valueRelatedArtifact");
        writer.WriteString("type", "citation");
        writer.WriteString("url", citation);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    private static void WriteNote(Utf8JsonWriter writer, string? note)
    {
        if (!string.IsNullOrWhiteSpace(note)) WriteNotes(writer, [note]);
    }
}
