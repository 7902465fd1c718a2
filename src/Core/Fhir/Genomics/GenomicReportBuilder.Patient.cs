using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir.Genomics;

// The Patient entry: a conditional create by the report's identifier.
public static partial class GenomicReportBuilder
{
    private const string PatientPath = "patient";

    /// <summary>
    /// Writes the Patient, conditionally created by its first identifier (the EMR's own is never overwritten); returns
    /// its details as written, for the patient-safety check.
    /// </summary>
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
}
