using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir;

/// <summary>
/// The Provenance written with every report: which original (where it is kept, and as the lab named it), which bytes,
/// which unit, which pipeline.
/// </summary>
internal static class ProvenanceResource
{
    /// <summary>Where the original is kept (<see cref="ReportProvenance.OriginalBlob"/>): its archived copy, or the local file.</summary>
    public const string SourceBlobSystem = "urn:precisionmed:source-blob";

    /// <summary>The original as the lab named it: the <c>incoming/</c> blob it arrived as.</summary>
    public const string LabFileNameSystem = "urn:precisionmed:lab-file-name";
    public const string ContentHashSystem = "urn:precisionmed:sha256";
    public const string KnowledgeVersionSystem = "urn:precisionmed:knowledge-version";

    /// <param name="knowledgeVersion">The knowledge store version the report's implications were derived with, when it was enriched.</param>
    /// <param name="originalDocument">The <c>DocumentReference/id</c> of the original file (<see cref="OriginalFileDocument"/>), when written.</param>
    public static JsonObject Create(
        string id, IReadOnlyList<string> targets, ReportProvenance source, string? knowledgeVersion = null, string? originalDocument = null)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("resourceType", "Provenance");
            writer.WriteString("id", id);
            WriteBody(writer, targets, source, knowledgeVersion, originalDocument: originalDocument);
            writer.WriteEndObject();
        }

        return JsonNode.Parse(buffer.WrittenSpan)!.AsObject();
    }

    /// <summary>Every property after <c>resourceType</c> and <c>id</c>, into an open object.</summary>
    /// <param name="lastTarget">One more target after <paramref name="targets"/> (the Patient), or null.</param>
    /// <param name="originalDocument">The <c>DocumentReference/id</c> of the original file, when written.</param>
    public static void WriteBody(
        Utf8JsonWriter writer, IReadOnlyList<string> targets, ReportProvenance source, string? knowledgeVersion, string? lastTarget = null,
        string? originalDocument = null)
    {
        writer.WriteStartArray("target");
        for (var i = 0; i < targets.Count; i++) WriteTarget(writer, targets[i]);
        if (lastTarget is not null) WriteTarget(writer, lastTarget);

        writer.WriteEndArray();

        // The arrival time, not "now": writing the same report again yields the same resource.
        writer.WriteString("recorded", source.ReceivedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        writer.WriteStartObject("activity");
        writer.WriteStartArray("coding");
        WriteCoding(writer, "http://terminology.hl7.org/CodeSystem/v3-DataOperation", "UPDATE", "revise");
        writer.WriteEndArray();
        writer.WriteEndObject();

        writer.WriteStartArray("agent");
        writer.WriteStartObject();
        writer.WriteStartObject("type");
        writer.WriteStartArray("coding");
        WriteCoding(writer, "http://terminology.hl7.org/CodeSystem/provenance-participant-type", "assembler", "Assembler");
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteStartObject("who");
        writer.WriteString("display", $"PrecisionMed Serverless {source.PipelineVersion}");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();

        writer.WriteStartArray("entity");
        // Where the original is kept (the same place its DocumentReference points at), then the name the lab gave it: a
        // later file of that name is another original, kept under its own hash.
        var original = source.OriginalBlob;
        WriteEntity(writer, "source", SourceBlobSystem, original, $"lab {source.LabId}, report unit {source.UnitIndex + 1} of {source.UnitCount}", originalDocument);
        if (original != source.SourceBlob)
            WriteEntity(writer, "source", LabFileNameSystem, source.SourceBlob, "the original as the lab named it on arrival");
        WriteEntity(writer, "source", ContentHashSystem, source.ContentHash, "SHA-256 of the original file");

        // The implications were derived with this knowledge: re-reading the report later must be able to tell which.
        if (knowledgeVersion is not null)
            WriteEntity(writer, "derivation", KnowledgeVersionSystem, knowledgeVersion, "PrecisionMed clinical-genomic knowledge store version");
        writer.WriteEndArray();
    }

    private static void WriteTarget(Utf8JsonWriter writer, string reference)
    {
        writer.WriteStartObject();
        writer.WriteString("reference", reference);
        writer.WriteEndObject();
    }

    private static void WriteCoding(Utf8JsonWriter writer, string system, string code, string display)
    {
        writer.WriteStartObject();
        writer.WriteString("system", system);
        writer.WriteString("code", code);
        writer.WriteString("display", display);
        writer.WriteEndObject();
    }

    private static void WriteEntity(Utf8JsonWriter writer, string role, string system, string value, string display, string? reference = null)
    {
        writer.WriteStartObject();
        writer.WriteString("role", role);
        writer.WriteStartObject("what");
        if (reference is not null) writer.WriteString("reference", reference);
        writer.WriteStartObject("identifier");
        writer.WriteString("system", system);
        writer.WriteString("value", value);
        writer.WriteEndObject();
        writer.WriteString("display", display);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
