using System.Text.Json;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir.Genomics;

// The report's documents: DocumentReferences and presented forms.
public static partial class GenomicReportBuilder
{
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
        var writer = context.Bundle.BeginResource(
            "DocumentReference", context.Ids.NewId("DocumentReference", document.Key), document.GenomicDataFile ? GenomicsCodes.GenomicDataFileProfile : null);
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
