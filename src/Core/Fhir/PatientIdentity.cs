using System.Text.Json.Nodes;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir;

/// <summary>
/// How a lab's Patient is matched to the EMR's: by one identifier (system|value). The lab's first
/// identifier with a value is used; a value without a system is scoped to the lab; a Patient with no
/// identifier at all is scoped by the lab's own resource id (the lab's key for that person), so repeats
/// from that lab still converge. A Patient with neither names nobody: the report is rejected.
/// </summary>
internal sealed record PatientIdentity(string System, string Value, string FullUrl)
{
    public string SearchCondition => $"identifier={Uri.EscapeDataString(System)}|{Uri.EscapeDataString(Value)}";

    public static PatientIdentity Choose(LabBundleEntry patient, string labId)
    {
        if (ReportTransactionBuilder.FirstIdentifier(patient.Resource) is { } identifier)
        {
            var bar = identifier.IndexOf('|', StringComparison.Ordinal);
            return FromIdentifier(identifier[..bar], identifier[(bar + 1)..], labId);
        }

        // A fullUrl alone (urn:uuid: mostly) is only a name inside this one bundle: matching other reports by it
        // could file them under the wrong person, so it does not count as an identifier.
        if (string.IsNullOrWhiteSpace(patient.Id))
        {
            throw new LabFileRejectedException(new SourcePosition { Path = patient.Path + ".identifier" },
                "the Patient has no identifier with a value and no id: the report cannot be tied to a patient");
        }

        return Create($"urn:precisionmed:lab:{labId}:patient-resource", patient.Id);
    }

    /// <summary>The identity for a lab's identifier (system may be empty: it is then scoped to the lab).</summary>
    public static PatientIdentity FromIdentifier(string? system, string value, string labId) =>
        Create(string.IsNullOrEmpty(system) ? $"urn:precisionmed:lab:{labId}:patient-id" : system, value);

    private static PatientIdentity Create(string system, string value) =>
        new(system, value, "urn:uuid:" + DeterministicIds.Create("patient", system, value));

    /// <summary>Makes sure the identifier the search uses is on the resource (a lab-scoped one may not be).</summary>
    public void EnsureOn(JsonObject patient)
    {
        if (patient["identifier"] is not JsonArray identifiers)
        {
            // Patient.identifier is an array; a lab that sent one object still keeps it.
            var single = patient["identifier"] is JsonObject one ? one.DeepClone() : null;
            identifiers = single is null ? [] : [single];
            patient["identifier"] = identifiers;
        }

        foreach (var existing in identifiers.OfType<JsonObject>())
        {
            // TryGetValue, not GetValue: a lab's number or object here must not throw mid-build.
            var existingValue = existing["value"] is JsonValue v && v.TryGetValue<string>(out var value) ? value : null;
            var existingSystem = existing["system"] is JsonValue s && s.TryGetValue<string>(out var system) ? system : null;
            if (existingValue == Value && existingSystem == System) return;
            if (existingValue == Value && existingSystem is null)
            {
                existing["system"] = System;
                return;
            }
        }

        identifiers.Add(new JsonObject { ["system"] = System, ["value"] = Value });
    }
}
