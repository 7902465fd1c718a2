using System.Text.Json;
using System.Text.Json.Nodes;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir;

/// <summary>
/// Whom a lab bundle's results are about: its one Patient, found in the FHIR service by identifier
/// (<see cref="PatientIdentity"/>). A second Patient, or a result whose subject is not in the bundle (a <c>Type/id</c> the
/// FHIR service would resolve to whoever it holds there, an identifier alone, a contained Patient), could file the result
/// under the wrong person: the unit is rejected at that entry and field, the values left out of the reason.
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
            foreach (var element in SubjectElements)
            {
                if (entry.Resource[element] is JsonObject subject && Problem(subject, entry, index) is { } reason)
                    throw Reject($"{entry.Path}.{element}", reason);
            }
        }
    }

    private static string? Problem(JsonObject subject, LabBundleEntry entry, BundleReferenceIndex index)
    {
        if (Text(subject["reference"]) is not { Length: > 0 } reference)
        {
            return subject["identifier"] is null ? null
                : "names its patient by identifier alone, not by a reference to the bundle's Patient: it cannot be tied to that patient";
        }

        if (reference[0] == '#')
        {
            var contained = (entry.Resource["contained"] as JsonArray ?? []).OfType<JsonObject>()
                .FirstOrDefault(c => "#" + Text(c["id"]) == reference);
            return contained is not null && Text(contained["resourceType"]) == "Patient"
                ? "is a contained Patient, not the bundle's Patient: it cannot be found in the FHIR service by identifier"
                : null;
        }

        // A resource of the bundle is the bundle's Patient (there is one) or another it writes (a Group, a Device).
        return index.Resolve(reference) is null
            ? "refers to a resource the bundle does not hold, so not the bundle's Patient: the FHIR service would file the result under whatever it holds there"
            : null;
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static LabFileRejectedException Reject(string path, string reason) =>
        new(new SourcePosition { Path = path }, reason);
}
