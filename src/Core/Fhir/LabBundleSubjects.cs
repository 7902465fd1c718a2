using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir;

/// <summary>
/// Whom a lab bundle's results are about: its one Patient, found in the FHIR service by identifier
/// (<see cref="PatientIdentity"/>). A second Patient, or a result whose subject is not in the bundle (a <c>Type/id</c> the
/// FHIR service would resolve to whoever it holds there, an absolute URL that is no entry's fullUrl, an identifier alone, a
/// contained Patient), in a resource or in one it contains, could file the result under the wrong person: the unit is rejected at that entry and field, the values left out of the reason.
/// </summary>
internal static class LabBundleSubjects
{
    /// <summary>The elements that say whom a resource is about (<c>Task.for</c> among them).</summary>
    private static readonly string[] SubjectElements = ["subject", "patient", "for"];

    public static void Check(LabBundle bundle, FhirReportUnit unit, string labId)
    {
        PatientIdentity? first = null;
        foreach (var patient in bundle.Entries.Where(e => e.ResourceType == "Patient"))
        {
            var identity = PatientIdentity.Choose(patient, labId);
            first ??= identity;
            if (identity.FullUrl != first.FullUrl)
            {
                throw Reject(patient.Path + ".identifier",
                    "a second Patient, whose identifier is not the first Patient's: a bundle's results are filed under one patient, so each patient's results come in a bundle of their own");
            }
        }

        var index = new BundleReferenceIndex(bundle);
        foreach (var entry in unit.EntryIndexes.Select(i => bundle.Entries[i]).Where(e => e.ResourceType != "Patient"))
        {
            // A contained resource is written with its container, its references too: it is held to the same rules.
            var contained = Contained(entry.Resource).ToList();
            CheckSubjects(entry.Resource, entry.Path, contained, index);
        }
    }

    private static void CheckSubjects(JsonObject resource, string path, List<JsonObject> contained, BundleReferenceIndex index)
    {
        foreach (var element in SubjectElements)
        {
            if (resource[element] is JsonObject subject && Problem(subject, contained, index) is { } reason)
                throw Reject($"{path}.{element}", reason);
        }

        if (resource["contained"] is not JsonArray inner) return;
        for (var i = 0; i < inner.Count; i++)
        {
            if (inner[i] is JsonObject child)
                CheckSubjects(child, $"{path}.contained[{i.ToString(CultureInfo.InvariantCulture)}]", contained, index);
        }
    }

    /// <summary>Every resource contained in a resource, at any depth (FHIR allows one level; a lab may nest more).</summary>
    private static IEnumerable<JsonObject> Contained(JsonObject resource)
    {
        foreach (var child in (resource["contained"] as JsonArray ?? []).OfType<JsonObject>())
        {
            yield return child;
            foreach (var below in Contained(child)) yield return below;
        }
    }

    private static string? Problem(JsonObject subject, List<JsonObject> contained, BundleReferenceIndex index)
    {
        if (Text(subject["reference"]) is not { Length: > 0 } reference)
        {
            return subject["identifier"] is null ? null
                : "names its patient by identifier alone, not by a reference to the bundle's Patient: it cannot be tied to that patient";
        }

        if (reference[0] == '#')
        {
            return contained.Any(c => "#" + Text(c["id"]) == reference && Text(c["resourceType"]) == "Patient")
                ? "is a contained Patient, not the bundle's Patient: it cannot be found in the FHIR service by identifier"
                : null;
        }

        // A resource of the bundle is the bundle's Patient (there is one) or another it writes (a Group, a Device). An absolute
        // URL is the bundle's only as an entry's fullUrl: the same Type/id on another server is whoever that server holds there.
        return index.ResolveInBundle(reference) is null
            ? "refers to a resource the bundle does not hold, so not the bundle's Patient: the FHIR service would file the result under whatever it holds there"
            : null;
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static LabFileRejectedException Reject(string path, string reason) =>
        new(new SourcePosition { Path = path }, reason);
}
