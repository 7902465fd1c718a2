using System.Text.Json;
using System.Text.Json.Nodes;
using PrecisionMed.Core.Fhir;

namespace PrecisionMed.Core.Pipeline.Review;

/// <summary>
/// Whether a report is about the same patient as the earlier report of its lab and accession: only then may it replace
/// that one (an amendment, with withdrawals); the same accession for another patient is a patient-safety hold.
/// </summary>
public static class ReportPatients
{
    /// <summary>
    /// False when <paramref name="previous"/> (the Provenance the earlier report of this accession wrote) names a Patient and
    /// the report's own patient identifier finds none of the Patients it names; true otherwise (no earlier report, or one
    /// without a Patient).
    /// </summary>
    public static async Task<bool> SameAsPreviousAsync(ReportTransaction transaction, JsonObject? previous, IFhirWriter fhir, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(fhir);
        if (previous is null) return true;
        var before = Of(previous);
        var current = transaction.Patients;
        if (before.Count == 0 || current.Count == 0) return true;

        // The earlier Provenance names the Patient as the FHIR service resolved it (Patient/id), or as written (urn:uuid:
        // from the identifier) where it keeps references as sent: the current identifier's Patients, and its own urn, say who it is now.
        var now = new HashSet<string>(StringComparer.Ordinal);
        foreach (var reported in current)
        {
            if (reported.FullUrl.Length > 0) now.Add(reported.FullUrl);
            foreach (var patient in await fhir.FindPatientsAsync(reported.System, reported.Value, cancellationToken))
            {
                if (patient["id"] is JsonValue id && id.TryGetValue<string>(out var text)) now.Add("Patient/" + text);
            }
        }

        return before.Overlaps(now);
    }

    /// <summary><c>Patient/id</c> targets (resolved by the FHIR service) and <c>urn:uuid:</c> ones (the Patient's full URL as written).</summary>
    private static HashSet<string> Of(JsonObject provenance)
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
