using System.Text.Json;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir.Genomics;

/// <summary>
/// What every Observation of a report starts with (resourceType, id, meta, status, categories, code, subject, times,
/// specimen), and the status an Observation gets: the report's builders add their own properties after it.
/// </summary>
internal static class ObservationHead
{
    // An Observation's categories, written once (minimal JSON, as the writer writes it).
    private static readonly byte[] LaboratoryCategory = FhirJson.Utf8(static w =>
    {
        w.WriteStartArray();
        FhirJson.WriteConcept(w, GenomicsCodes.ObservationCategorySystem, "laboratory", "Laboratory");
        w.WriteEndArray();
    });

    private static readonly byte[] GenomicCategories = FhirJson.Utf8(static w =>
    {
        w.WriteStartArray();
        FhirJson.WriteConcept(w, GenomicsCodes.ObservationCategorySystem, "laboratory", "Laboratory");
        FhirJson.WriteConcept(w, GenomicsCodes.DiagnosticServiceSystem, "GE", "Genetics");
        w.WriteEndArray();
    });

    /// <summary>Starts an Observation entry and leaves the resource open for the caller's own properties.</summary>
    public static Utf8JsonWriter Begin(
        GenomicBuildContext context, Guid id, string? profile, (string System, string Code, string? Display) code, string status, bool genomic,
        string? effective = null)
    {
        var writer = BeginHead(context, id, profile, status, genomic);
        writer.WritePropertyName("code");
        FhirJson.WriteConcept(writer, code.System, code.Code, code.Display);
        WriteTail(context, effective);
        return writer;
    }

    /// <summary><see cref="Begin(GenomicBuildContext, Guid, string?, ValueTuple{string, string, string?}, string, bool, string?)"/> with the lab's code (which must have a concept).</summary>
    public static Utf8JsonWriter Begin(
        GenomicBuildContext context, Guid id, string? profile, CodedValue code, string status, bool genomic, string? effective = null)
    {
        var writer = BeginHead(context, id, profile, status, genomic);
        writer.WritePropertyName("code");
        FhirJson.WriteConcept(writer, code);
        WriteTail(context, effective);
        return writer;
    }

    private static Utf8JsonWriter BeginHead(GenomicBuildContext context, Guid id, string? profile, string status, bool genomic)
    {
        var writer = context.Bundle.BeginResource("Observation", id, profile);
        writer.WriteString("status", status);
        writer.WritePropertyName("category");
        writer.WriteRawValue(genomic ? GenomicCategories : LaboratoryCategory, skipInputValidation: true);
        return writer;
    }

    private static void WriteTail(GenomicBuildContext context, string? effective)
    {
        var writer = context.Bundle.Writer;
        FhirJson.WriteReference(writer, "subject", context.Patient.FullUrl);
        if ((effective is null ? context.ReportEffective : FhirDateTimes.ValidDateTime(effective)) is { } when) writer.WriteString("effectiveDateTime", when);
        if (context.ReportIssued is { } issued) writer.WriteString("issued", issued);
        if (context.SpecimenReference is not null) FhirJson.WriteReference(writer, "specimen", context.SpecimenReference);
    }

    /// <summary>An Observation status: the finding's own (FHIR or HL7 v2 OBX-11 code), else the report's.</summary>
    public static string Status(string? status, ReportStatus reportStatus) => status?.Trim() switch
    {
        "registered" or "preliminary" or "final" or "amended" or "corrected" or "cancelled" or "entered-in-error" or "unknown" => status.Trim(),
        "F" => "final",
        "C" => "corrected",
        "A" => "amended",
        "P" or "R" or "S" => "preliminary",
        "I" => "registered",
        "X" => "cancelled",
        "W" or "D" => "entered-in-error",
        _ => reportStatus switch
        {
            ReportStatus.Preliminary => "preliminary",
            ReportStatus.Corrected => "corrected",
            ReportStatus.Amended => "amended",
            ReportStatus.Cancelled => "cancelled",
            _ => "final",
        },
    };
}
