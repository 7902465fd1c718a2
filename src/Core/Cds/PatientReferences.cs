using System.Text.Json.Nodes;

namespace PrecisionMed.Core.Cds;

/// <summary>
/// Whether a resource of a CDS call is about the call's patient (<c>context.patientId</c>): its patient reference names
/// <c>Patient/{id}</c>, relative or as an absolute URL ending so, a version (<c>/_history/n</c>) allowed. A CDS service
/// never answers on another patient's data.
/// </summary>
public static class PatientReferences
{
    /// <summary>The reference (a FHIR Reference object) names the patient; false when it names another, or none it can tell (contained, urn:uuid, identifier only, a Group).</summary>
    public static bool Names(JsonNode? reference, string patientId) => TypeAndId(reference) is ("Patient", var id) && id == patientId;

    /// <summary>The last <c>Type/id</c> of the reference's text, its version dropped; null when it has none.</summary>
    private static (string Type, string Id)? TypeAndId(JsonNode? reference)
    {
        if (CdsHookRequest.Text(CdsHookRequest.Member(reference, "reference")) is not { } text) return null;
        var history = text.IndexOf("/_history/", StringComparison.Ordinal);
        if (history >= 0) text = text[..history];
        var slash = text.LastIndexOf('/');
        if (slash <= 0 || slash == text.Length - 1) return null;
        var type = text[..slash];
        return (type[(type.LastIndexOf('/') + 1)..], text[(slash + 1)..]);
    }
}
