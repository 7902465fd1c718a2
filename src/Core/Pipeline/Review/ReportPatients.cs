using System.Text.Json;
using System.Text.Json.Nodes;

namespace PrecisionMed.Core.Pipeline.Review;

/// <summary>The Patients a report's Provenance names among its targets: who the report that wrote it was about.</summary>
internal static class ReportPatients
{
    /// <summary><c>Patient/id</c> targets (resolved by the FHIR service) and <c>urn:uuid:</c> ones (the Patient's full URL as written).</summary>
    public static HashSet<string> Of(JsonObject provenance)
    {
        var patients = new HashSet<string>(StringComparer.Ordinal);
        foreach (var target in provenance["target"] as JsonArray ?? [])
        {
            if (target?["reference"] is not JsonValue value || value.GetValueKind() != JsonValueKind.String) continue;
            var reference = value.GetValue<string>();
            var history = reference.IndexOf("/_history", StringComparison.Ordinal);
            if (history > 0) reference = reference[..history];
            var patient = reference.LastIndexOf("Patient/", StringComparison.Ordinal);
            if (patient >= 0) patients.Add(reference[patient..]);
            else if (reference.StartsWith("urn:uuid:", StringComparison.Ordinal)) patients.Add(reference);
        }

        return patients;
    }
}
