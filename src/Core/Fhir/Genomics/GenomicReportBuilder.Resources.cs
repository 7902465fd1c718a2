using System.Text.Json;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir.Genomics;

public static partial class GenomicReportBuilder
{
    private const string PatientPath = "patient";

    /// <summary>The Patient, conditionally created by its first identifier: the EMR's own is never overwritten.</summary>
    /// <summary>Writes the Patient entry; the Patient's details as written, for the patient-safety check.</summary>
    private static ReportPatient WritePatientEntry(GenomicBuildContext context)
    {
        var details = context.Report.Patient;
        var identity = context.Patient;
        var writer = context.Bundle.BeginPatientEntry();
        writer.WriteStartObject();
        writer.WriteString("fullUrl", identity.FullUrl);
        writer.WriteStartObject("resource");
        writer.WriteString("resourceType", "Patient");
        writer.WriteStartArray("identifier");

        // The identifier the conditional create searches by must be on the resource (PatientIdentity.EnsureOn's rule:
        // the first identifier with its value and system, or with its value and no system, which then gets the system).
        var searchable = false;
        foreach (var identifier in details.Identifiers)
        {
            if (string.IsNullOrWhiteSpace(identifier.Value)) continue;
            writer.WriteStartObject();
            if (!string.IsNullOrWhiteSpace(identifier.TypeCode))
            {
                writer.WritePropertyName("type");
                FhirJson.WriteConcept(writer, GenomicsCodes.IdentifierTypeSystem, identifier.TypeCode, null);
            }

            var system = string.IsNullOrWhiteSpace(identifier.System) ? null : identifier.System;
            if (system is not null) writer.WriteString("system", system);
            writer.WriteString("value", identifier.Value);
            if (!searchable && identifier.Value == identity.Value)
            {
                if (system == identity.System) searchable = true;
                else if (system is null)
                {
                    writer.WriteString("system", identity.System);
                    searchable = true;
                }
            }

            writer.WriteEndObject();
        }

        if (!searchable)
        {
            writer.WriteStartObject();
            writer.WriteString("system", identity.System);
            writer.WriteString("value", identity.Value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        var family = string.IsNullOrWhiteSpace(details.FamilyName) ? null : details.FamilyName;
        var given = false;
        foreach (var name in details.GivenNames ?? []) given |= !string.IsNullOrWhiteSpace(name);
        if (family is not null || given)
        {
            writer.WriteStartArray("name");
            writer.WriteStartObject();
            if (family is not null) writer.WriteString("family", family);
            if (given)
            {
                writer.WriteStartArray("given");
                foreach (var name in details.GivenNames!)
                {
                    if (!string.IsNullOrWhiteSpace(name)) writer.WriteStringValue(name);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        string? writtenGender = null;
        if (details.Gender is { } gender)
        {
            if (AdministrativeGender(gender) is { } code) writer.WriteString("gender", writtenGender = code);
            else context.Skip(PatientPath, "gender", "not a FHIR administrative gender or HL7 v2 sex code");
        }

        string? writtenBirthDate = null;
        if (details.BirthDate is { } birthDate)
        {
            if (FhirDate(birthDate) is { } date) writer.WriteString("birthDate", writtenBirthDate = date);
            else context.Skip(PatientPath, "birthDate", "not a FHIR date");
        }

        writer.WriteEndObject();
        writer.WriteStartObject("request");
        writer.WriteString("method", "POST");
        writer.WriteString("url", "Patient");
        writer.WriteString("ifNoneExist", identity.SearchCondition);
        writer.WriteEndObject();
        writer.WriteEndObject();
        context.Bundle.EndPatientEntry();
        return new ReportPatient(
            identity.FullUrl, identity.System, identity.Value, ReportPatient.Clean(family) is { } cleanFamily ? [cleanFamily] : [],
            ReportPatient.Clean(writtenBirthDate), ReportPatient.Clean(writtenGender));
    }

    private static string? AdministrativeGender(string gender) => gender.Trim().ToUpperInvariant() switch
    {
        "M" or "MALE" => "male",
        "F" or "FEMALE" => "female",
        "O" or "A" or "N" or "OTHER" => "other",
        "U" or "UNKNOWN" => "unknown",
        _ => null,
    };

    /// <summary>A FHIR date, or an HL7 v2 DT/DTM (yyyyMMdd[...]) cut to its date.</summary>
    private static string? FhirDate(string value)
    {
        value = value.Trim();
        if (FhirDateTimes.IsDate(value)) return value;
        if (value.Length >= 8 && value[..8].All(char.IsAsciiDigit))
        {
            var date = $"{value[..4]}-{value[4..6]}-{value[6..8]}";
            return FhirDateTimes.IsDate(date) ? date : null;
        }

        return null;
    }

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

    /// <summary>True when the document can be an Attachment (inline bytes, or a URL where it is stored); else skipped.</summary>
    private static bool HasAttachment(GenomicBuildContext context, ReportDocument document)
    {
        if (document.Data is { Length: > 0 } || document.Url is { IsAbsoluteUri: true }) return true;
        context.Skip($"document {document.Key}", "content", "the document has neither content nor an absolute URL");
        return false;
    }

    private static string? AttachmentTitle(ReportDocument document)
    {
        var title = document.Incomplete ? $"{document.Title ?? "Document"} (incomplete: the lab's copy was cut short)" : document.Title;
        return string.IsNullOrWhiteSpace(title) ? null : title;
    }

    /// <summary>The document as an Attachment (the caller makes sure it <see cref="HasAttachment"/>).</summary>
    private static void WriteAttachment(Utf8JsonWriter writer, ReportDocument document)
    {
        writer.WriteStartObject();
        writer.WriteString("contentType", document.ContentType);
        if (document.Data is { Length: > 0 } data) writer.WriteBase64String("data", data);
        else writer.WriteString("url", document.Url!.AbsoluteUri);

        if (document.Data is { Length: > 0 } bytes) writer.WriteNumber("size", bytes.Length);
        else if (document.StoredSize is { } size) writer.WriteNumber("size", size);
        if (document.StoredSha1 is { Length: > 0 } sha1) writer.WriteBase64String("hash", sha1);
        if (AttachmentTitle(document) is { } title) writer.WriteString("title", title);
        writer.WriteEndObject();
    }

    private static void AddDocumentReference(GenomicBuildContext context, ReportDocument document)
    {
        var writer = context.Bundle.BeginResource("DocumentReference", context.Ids.NewId("DocumentReference", document.Key));
        if (document.GenomicDataFile) FhirJson.WriteMeta(writer, GenomicsCodes.GenomicDataFileProfile);
        writer.WriteString("status", "current");

        // The clinician must see that this is not the whole document the lab meant to send.
        if (document.Incomplete) writer.WriteString("docStatus", "preliminary");
        FhirJson.TryWriteConcept(writer, "type", document.Type);
        FhirJson.WriteReference(writer, "subject", context.Patient.FullUrl);
        if (AttachmentTitle(document) is { } description) writer.WriteString("description", description);
        writer.WriteStartArray("content");
        writer.WriteStartObject();
        writer.WritePropertyName("attachment");
        WriteAttachment(writer, document);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteStartObject("context");
        writer.WriteStartArray("related");
        FhirJson.WriteReference(writer, context.ReportReference);
        writer.WriteEndArray();
        writer.WriteEndObject();
        context.Bundle.EndResource();
    }
}
