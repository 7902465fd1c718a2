using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using PrecisionMed.Core.Fhir.Genomics;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir;

/// <summary>
/// The DocumentReference to a report's original lab file, written with every report whatever its format (the genomic
/// builder for HL7 v2 and VCF, <see cref="ReportTransactionBuilder"/> beside a lab's own FHIR resources): the URL of
/// where the original is kept (<see cref="ReportProvenance.OriginalUrl"/>), its content type, its SHA-256, and the report
/// as its context, as the Genomics Reporting IG's GenomicDataFile is tied to its report. A VCF's is a GenomicDataFile.
/// </summary>
/// <remarks>
/// FHIR R4's <c>Attachment.hash</c> is a SHA-1; the pipeline keeps only the SHA-256 it identifies the file by, so that
/// goes in <c>identifier</c> (the same system as the Provenance's), never into <c>hash</c> under the wrong algorithm.
/// The id comes from (lab, accession): a later version of the report points its one DocumentReference at its own original.
/// </remarks>
internal static class OriginalFileDocument
{
    /// <summary>The natural key of the id; a VCF's keeps the key its GenomicDataFile always had, so its id is unchanged.</summary>
    public static string KeyOf(ReportProvenance provenance) => provenance.Format == LabFileFormat.Vcf ? "source-vcf" : "source-file";

    /// <summary>The format's media type; any gzip-compressed file (BGZF VCF included) is <c>application/gzip</c>.</summary>
    public static string ContentTypeOf(ReportProvenance provenance) => provenance.Compressed ? "application/gzip" : provenance.Format switch
    {
        LabFileFormat.Hl7v2 => "x-application/hl7-v2+er7",
        LabFileFormat.FhirJson => "application/fhir+json",
        LabFileFormat.Vcf => "text/plain", // no registered type for VCF; it is tab-separated text
        _ => "application/octet-stream",
    };

    /// <summary>The profile the DocumentReference declares: a VCF is the IG's genomic data file; other formats declare none.</summary>
    public static string? ProfileOf(ReportProvenance provenance) => provenance.Format == LabFileFormat.Vcf ? GenomicsCodes.GenomicDataFileProfile : null;

    /// <summary>Every property after <c>resourceType</c>, <c>id</c> and <c>meta</c> (<see cref="ProfileOf"/>), into an open object.</summary>
    /// <param name="writer">Positioned inside the resource object.</param>
    /// <param name="provenance">Where the unit came from.</param>
    /// <param name="url">Its <see cref="ReportProvenance.OriginalUrl"/>.</param>
    /// <param name="patient">The report's Patient reference, or null when the report has none or several.</param>
    /// <param name="report">The report's <c>DiagnosticReport/id</c>, or null for results without a report.</param>
    public static void WriteBody(Utf8JsonWriter writer, ReportProvenance provenance, string url, string? patient, string? report)
    {
        writer.WriteStartArray("identifier");
        writer.WriteStartObject();
        writer.WriteString("system", ProvenanceResource.ContentHashSystem);
        writer.WriteString("value", provenance.ContentHash);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteString("status", "current");
        if (patient is not null) FhirJson.WriteReference(writer, "subject", patient);
        writer.WriteString("description", DescriptionOf(provenance.Format));
        writer.WriteStartArray("content");
        writer.WriteStartObject();
        writer.WriteStartObject("attachment");
        writer.WriteString("contentType", ContentTypeOf(provenance));
        writer.WriteString("url", url);
        writer.WriteString("title", DescriptionOf(provenance.Format));
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
        if (report is not null)
        {
            writer.WriteStartObject("context");
            writer.WriteStartArray("related");
            FhirJson.WriteReference(writer, report);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
    }

    /// <summary>The resource as a node, for a builder that assembles nodes.</summary>
    public static JsonObject Create(string id, ReportProvenance provenance, string url, string? patient, string? report)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("resourceType", "DocumentReference");
            writer.WriteString("id", id);
            WriteBody(writer, provenance, url, patient, report);
            writer.WriteEndObject();
        }

        return JsonNode.Parse(buffer.WrittenSpan)!.AsObject();
    }

    // No file name: it may name the patient, and the URL already carries it where the Provenance always did.
    private static string DescriptionOf(LabFileFormat format) => format switch
    {
        LabFileFormat.Vcf => "Original VCF file",
        LabFileFormat.Hl7v2 => "Original HL7 v2 message file",
        LabFileFormat.FhirJson => "Original FHIR bundle file",
        _ => "Original lab file",
    };
}
