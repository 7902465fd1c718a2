using System.Text.Json.Nodes;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir.Genomics;

public static partial class GenomicReportBuilder
{
    private const string PatientPath = "patient";

    /// <summary>The Patient, conditionally created by its first identifier: the EMR's own is never overwritten.</summary>
    private static JsonObject PatientEntry(GenomicBuildContext context)
    {
        var details = context.Report.Patient;
        var patient = new JsonObject { ["resourceType"] = "Patient" };
        var identifiers = new JsonArray();
        foreach (var identifier in details.Identifiers.Where(i => !string.IsNullOrWhiteSpace(i.Value)))
        {
            var json = new JsonObject();
            if (!string.IsNullOrWhiteSpace(identifier.TypeCode))
                json["type"] = FhirJson.Concept(GenomicsCodes.IdentifierTypeSystem, identifier.TypeCode);
            if (!string.IsNullOrWhiteSpace(identifier.System)) json["system"] = identifier.System;
            json["value"] = identifier.Value;
            identifiers.Add(json);
        }

        patient["identifier"] = identifiers;
        context.Patient.EnsureOn(patient);

        var name = new JsonObject();
        if (!string.IsNullOrWhiteSpace(details.FamilyName)) name["family"] = details.FamilyName;
        var given = details.GivenNames?.Where(g => !string.IsNullOrWhiteSpace(g)).ToList() ?? [];
        if (given.Count > 0) name["given"] = new JsonArray([.. given.Select(g => JsonValue.Create(g))]);
        if (name.Count > 0) patient["name"] = new JsonArray(name);

        if (details.Gender is { } gender)
        {
            if (AdministrativeGender(gender) is { } code) patient["gender"] = code;
            else context.Skip(PatientPath, "gender", "not a FHIR administrative gender or HL7 v2 sex code");
        }

        if (details.BirthDate is { } birthDate)
        {
            if (FhirDate(birthDate) is { } date) patient["birthDate"] = date;
            else context.Skip(PatientPath, "birthDate", "not a FHIR date");
        }

        return new JsonObject
        {
            ["fullUrl"] = context.Patient.FullUrl,
            ["resource"] = patient,
            ["request"] = new JsonObject { ["method"] = "POST", ["url"] = "Patient", ["ifNoneExist"] = context.Patient.SearchCondition },
        };
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
        var identifiers = new JsonArray();
        AddOrderIdentifier(identifiers, "PLAC", "Placer Identifier", order.PlacerSystem, order.PlacerNumber);
        AddOrderIdentifier(identifiers, "FILL", "Filler Identifier", order.FillerSystem, order.FillerNumber);
        if (identifiers.Count == 0) return null;

        var resource = new JsonObject
        {
            ["resourceType"] = "ServiceRequest",
            ["id"] = context.NewId("ServiceRequest", "order"),
            ["identifier"] = identifiers,
            ["status"] = context.Report.Status switch
            {
                ReportStatus.Preliminary => "active",
                ReportStatus.Cancelled => "revoked",
                _ => "completed",
            },
            ["intent"] = "order",
        };
        if (FhirJson.Concept(order.Code ?? context.Report.TestCode) is { } code) resource["code"] = code;
        resource["subject"] = FhirJson.Reference(context.Patient.FullUrl);
        return context.Put(resource);
    }

    private static void AddOrderIdentifier(JsonArray identifiers, string type, string display, string? system, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return;
        var identifier = new JsonObject { ["type"] = FhirJson.Concept(GenomicsCodes.IdentifierTypeSystem, type, display) };
        if (!string.IsNullOrWhiteSpace(system)) identifier["system"] = system;
        identifier["value"] = value;
        identifiers.Add(identifier);
    }

    private static void AddSpecimen(GenomicBuildContext context)
    {
        if (context.Report.Specimen is not { } specimen) return;
        var path = $"specimen {specimen.Key}";
        var resource = new JsonObject { ["resourceType"] = "Specimen", ["id"] = context.NewId("Specimen", specimen.Key) };
        if (!string.IsNullOrWhiteSpace(specimen.Identifier)) resource["identifier"] = new JsonArray(new JsonObject { ["value"] = specimen.Identifier });
        if (FhirJson.Concept(specimen.Type) is { } type) resource["type"] = type;
        resource["subject"] = FhirJson.Reference(context.Patient.FullUrl);
        if (context.DateTime(specimen.Received, path, "received") is { } received) resource["receivedTime"] = received;
        if (context.DateTime(specimen.Collected, path, "collected") is { } collected) resource["collection"] = new JsonObject { ["collectedDateTime"] = collected };

        context.SpecimenReference = context.Put(resource);
    }

    /// <summary>A general laboratory result as a plain Observation (no genomic profile).</summary>
    private static void AddLabResult(GenomicBuildContext context, LabResult result)
    {
        var path = $"lab result {result.Key}";
        if (FhirJson.Concept(result.Code) is not { } code)
        {
            context.Skip(path, "code", "the result has no code");
            return;
        }

        var effective = context.DateTime(result.Effective, path, "effective");
        var observation = context.Observation(
            context.NewId("LabResult", result.Key), profile: null, code, context.ObservationStatus(result.Status), genomic: false, effective);

        switch (result.Value)
        {
            case CodedValue coded when FhirJson.Concept(coded) is { } concept:
                observation["valueCodeableConcept"] = concept;
                break;
            case QuantityValue quantity:
                observation["valueQuantity"] = FhirJson.Quantity(quantity);
                break;
            case RangeValue range when FhirJson.Range(range.Low, range.High, range.Unit) is { } json:
                observation["valueRange"] = json;
                break;
            case TextValue { Text: var text } when !string.IsNullOrWhiteSpace(text):
                observation["valueString"] = text;
                break;
            case DateTimeValue { FhirDateTime: var when } when GenomicBuildContext.ValidDateTime(when) is not null:
                observation["valueDateTime"] = context.DateTime(when, path, "value");
                break;
            case null:
                break;
            default:
                context.Skip(path, "value", "the value is empty or not a FHIR dateTime");
                break;
        }

        if (result.Interpretations?.Select(FhirJson.Concept).OfType<JsonObject>().ToList() is { Count: > 0 } interpretations)
            observation["interpretation"] = new JsonArray([.. interpretations]);
        if (result.Notes?.Where(n => !string.IsNullOrWhiteSpace(n)).ToList() is { Count: > 0 } notes)
            observation["note"] = new JsonArray([.. notes.Select(n => new JsonObject { ["text"] = n })]);
        if (!string.IsNullOrWhiteSpace(result.ReferenceRange))
            observation["referenceRange"] = new JsonArray(new JsonObject { ["text"] = result.ReferenceRange });
        context.Results.Add(context.Put(observation));
    }

    /// <summary>The document as an Attachment: inline bytes, or a URL where it is stored.</summary>
    private static JsonObject? Attachment(GenomicBuildContext context, ReportDocument document)
    {
        var attachment = new JsonObject { ["contentType"] = document.ContentType };
        if (document.Data is { Length: > 0 } data) attachment["data"] = Convert.ToBase64String(data);
        else if (document.Url is { IsAbsoluteUri: true } url) attachment["url"] = url.AbsoluteUri;
        else
        {
            context.Skip($"document {document.Key}", "content", "the document has neither content nor an absolute URL");
            return null;
        }

        if (document.Data is { Length: > 0 } bytes) attachment["size"] = bytes.Length;
        else if (document.StoredSize is { } size) attachment["size"] = size;
        if (document.StoredSha1 is { Length: > 0 } sha1) attachment["hash"] = Convert.ToBase64String(sha1);
        var title = document.Incomplete ? $"{document.Title ?? "Document"} (incomplete: the lab's copy was cut short)" : document.Title;
        if (!string.IsNullOrWhiteSpace(title)) attachment["title"] = title;
        return attachment;
    }

    private static void AddDocumentReference(GenomicBuildContext context, ReportDocument document, JsonObject attachment)
    {
        var resource = new JsonObject
        {
            ["resourceType"] = "DocumentReference",
            ["id"] = context.NewId("DocumentReference", document.Key),
        };
        if (document.GenomicDataFile) resource["meta"] = FhirJson.Meta(GenomicsCodes.GenomicDataFileProfile);
        resource["status"] = "current";

        // The clinician must see that this is not the whole document the lab meant to send.
        if (document.Incomplete) resource["docStatus"] = "preliminary";
        if (FhirJson.Concept(document.Type) is { } type) resource["type"] = type;
        resource["subject"] = FhirJson.Reference(context.Patient.FullUrl);
        if (attachment["title"] is JsonValue description) resource["description"] = description.DeepClone();
        resource["content"] = new JsonArray(new JsonObject { ["attachment"] = attachment.DeepClone() });
        resource["context"] = new JsonObject { ["related"] = new JsonArray(FhirJson.Reference(context.ReportReference)) };
        context.Put(resource);
    }
}
