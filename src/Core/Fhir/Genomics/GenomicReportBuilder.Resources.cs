using System.Text.Json;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir.Genomics;

public static partial class GenomicReportBuilder
{
    /// <summary>The order, when the lab sent a placer or filler number.</summary>
    private static string? AddServiceRequest(GenomicBuildContext context)
    {
        if (context.Report.Order is not { } order) return null;
        if (string.IsNullOrWhiteSpace(order.PlacerNumber) && string.IsNullOrWhiteSpace(order.FillerNumber)) return null;

        var writer = context.Bundle.BeginResource("ServiceRequest", context.Ids.NewId("ServiceRequest", "order"));
        writer.WriteStartArray("identifier");
        WriteOrderIdentifier(writer, "PLAC", "Placer Identifier", order.PlacerSystem, order.PlacerNumber);
        WriteOrderIdentifier(writer, "FILL", "Filler Identifier", order.FillerSystem, order.FillerNumber);
        writer.WriteEndArray();
        writer.WriteString("status", context.Report.Status switch
        {
            ReportStatus.Preliminary => "active",
            ReportStatus.Cancelled => "revoked",
            _ => "completed",
        });
        writer.WriteString("intent", "order");
        FhirJson.TryWriteConcept(writer, "code", order.Code ?? context.Report.TestCode);
        FhirJson.WriteReference(writer, "subject", context.Patient.FullUrl);
        return context.Bundle.EndResource();
    }

    private static void WriteOrderIdentifier(Utf8JsonWriter writer, string type, string display, string? system, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return;
        writer.WriteStartObject();
        writer.WritePropertyName("type");
        FhirJson.WriteConcept(writer, GenomicsCodes.IdentifierTypeSystem, type, display);
        if (!string.IsNullOrWhiteSpace(system)) writer.WriteString("system", system);
        writer.WriteString("value", value);
        writer.WriteEndObject();
    }

    private static void AddSpecimen(GenomicBuildContext context)
    {
        if (context.Report.Specimen is not { } specimen) return;
        var path = $"specimen {specimen.Key}";
        var writer = context.Bundle.BeginResource("Specimen", context.Ids.NewId("Specimen", specimen.Key));
        if (!string.IsNullOrWhiteSpace(specimen.Identifier))
        {
            writer.WriteStartArray("identifier");
            writer.WriteStartObject();
            writer.WriteString("value", specimen.Identifier);
            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        FhirJson.TryWriteConcept(writer, "type", specimen.Type);
        FhirJson.WriteReference(writer, "subject", context.Patient.FullUrl);
        if (context.DateTime(specimen.Received, path, "received") is { } received) writer.WriteString("receivedTime", received);
        if (context.DateTime(specimen.Collected, path, "collected") is { } collected)
        {
            writer.WriteStartObject("collection");
            writer.WriteString("collectedDateTime", collected);
            writer.WriteEndObject();
        }

        context.SpecimenReference = context.Bundle.EndResource();
    }

    /// <summary>A general laboratory result as a plain Observation (no genomic profile).</summary>
    private static void AddLabResult(GenomicBuildContext context, LabResult result)
    {
        if (!FhirJson.HasConcept(result.Code))
        {
            context.Skip(Path(), "code", "the result has no code");
            return;
        }

        var effective = context.DateTime(result.Effective, Path(), "effective");
        var writer = ObservationHead.Begin(context, 
            context.Ids.NewId("LabResult", result.Key), profile: null, result.Code!, ObservationHead.Status(result.Status, context.Report.Status), genomic: false, effective);

        switch (result.Value)
        {
            case CodedValue coded when FhirJson.HasConcept(coded):
                writer.WritePropertyName("valueCodeableConcept");
                FhirJson.WriteConcept(writer, coded);
                break;
            case QuantityValue quantity:
                writer.WritePropertyName("valueQuantity");
                FhirJson.WriteQuantity(writer, quantity);
                break;
            case RangeValue range when range.Low is not null || range.High is not null:
                writer.WritePropertyName("valueRange");
                FhirJson.WriteRange(writer, range.Low, range.High, range.Unit);
                break;
            case TextValue { Text: var text } when !string.IsNullOrWhiteSpace(text):
                writer.WriteString("valueString", text);
                break;
            case DateTimeValue { FhirDateTime: var when } when FhirDateTimes.ValidDateTime(when) is not null:
                writer.WriteString("valueDateTime", context.DateTime(when, Path(), "value"));
                break;
            case null:
                break;
            default:
                context.Skip(Path(), "value", "the value is empty or not a FHIR dateTime");
                break;
        }

        if (result.Interpretations is { } interpretations && interpretations.Any(FhirJson.HasConcept))
        {
            writer.WriteStartArray("interpretation");
            foreach (var interpretation in interpretations)
            {
                if (FhirJson.HasConcept(interpretation)) FhirJson.WriteConcept(writer, interpretation);
            }

            writer.WriteEndArray();
        }

        if (result.Notes is { } notes && notes.Any(n => !string.IsNullOrWhiteSpace(n))) WriteNotes(writer, notes);
        if (!string.IsNullOrWhiteSpace(result.ReferenceRange))
        {
            writer.WriteStartArray("referenceRange");
            writer.WriteStartObject();
            writer.WriteString("text", result.ReferenceRange);
            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        context.Results.Add(context.Bundle.EndResource());

        // The skip path, built only when something is skipped.
        string Path() => $"lab result {result.Key}";
    }

    /// <summary>The notes that have text, as Annotations.</summary>
    private static void WriteNotes(Utf8JsonWriter writer, IEnumerable<string?> notes)
    {
        writer.WriteStartArray("note");
        foreach (var note in notes)
        {
            if (string.IsNullOrWhiteSpace(note)) continue;
            writer.WriteStartObject();
            writer.WriteString("text", note);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
