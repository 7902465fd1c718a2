using System.Text.Json;
using System.Text.Json.Nodes;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Fhir.Genomics;

namespace PrecisionMed.Core.Pipeline.Work;

/// <summary>
/// Amendments (docs/design.md, "Contracts"): a report sent again for the same accession, typically an HL7 correction
/// (OBR-25 C), replaces what the lab said before; a result it no longer carries is set to
/// <c>entered-in-error</c> rather than left standing as if still reported. What the report wrote last time
/// is what its Provenance targeted: that Provenance has a deterministic id per lab and accession, so the FHIR
/// service itself holds the previous resource set and no other state is needed.
/// </summary>
public static class ReportWithdrawals
{
    public const string EnteredInError = "entered-in-error";

    /// <summary>The Provenance the previous version of this report wrote (its id is per lab and accession), or null for a first version.</summary>
    public static async Task<JsonObject?> PreviousProvenanceAsync(ReportTransaction transaction, IFhirWriter fhir, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(fhir);
        var provenance = transaction.OwnedReferences.LastOrDefault(r => r.StartsWith("Provenance/", StringComparison.Ordinal));
        return provenance is null ? null : await fhir.ReadAsync(provenance, cancellationToken);
    }

    /// <summary>
    /// The transaction bundle that withdraws what the previous version of this report (<paramref name="previous"/>, its
    /// Provenance) wrote and this one does not, or null when there is nothing to withdraw (first version, or the same
    /// resources again). Resources without a status (a Provenance) and Patients (the EMR's) are never withdrawn; a
    /// resource already entered-in-error is left as it is, so a redelivery writes nothing new.
    /// </summary>
    public static async Task<ReportWithdrawal?> FindAsync(ReportTransaction transaction, JsonObject? previous, IFhirWriter fhir, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(fhir);
        if (previous is null) return null;

        var current = new HashSet<string>(transaction.OwnedReferences, StringComparer.Ordinal);
        var entries = new JsonArray();
        var withdrawn = new List<string>();
        foreach (var reference in TargetsOf(previous))
        {
            if (current.Contains(reference) || !IsOwnedReference(reference)) continue;
            if (await fhir.ReadAsync(reference, cancellationToken) is not { } resource) continue;
            if (resource["status"] is not JsonValue status || status.GetValueKind() != JsonValueKind.String) continue;
            if (status.GetValue<string>() == EnteredInError) continue;

            resource["status"] = EnteredInError;
            if (resource["meta"] is JsonObject meta)
            {
                meta.Remove("versionId");
                meta.Remove("lastUpdated");
                DropStatusPinningProfiles(meta);
            }

            entries.Add(ReportTransactionBuilder.Entry(resource, "PUT", reference));
            withdrawn.Add(reference);
        }

        return withdrawn.Count == 0
            ? null
            : new ReportWithdrawal(withdrawn, new JsonObject { ["resourceType"] = "Bundle", ["type"] = "transaction", ["entry"] = entries });
    }

    /// <summary>
    /// IG profiles that fix the status of a live resource (a recommendation Task is <c>requested</c>, an analysis
    /// Procedure <c>completed</c>): a withdrawn one no longer claims them, so it still validates, as its base resource.
    /// </summary>
    private static readonly HashSet<string> StatusPinningProfiles = new(StringComparer.Ordinal)
    {
        GenomicsCodes.MedicationRecommendationProfile,
        GenomicsCodes.FollowupRecommendationProfile,
        GenomicsCodes.GenomicStudyAnalysisProfile,
    };

    private static void DropStatusPinningProfiles(JsonObject meta)
    {
        if (meta["profile"] is not JsonArray profiles) return;
        for (var i = profiles.Count - 1; i >= 0; i--)
        {
            if (profiles[i] is JsonValue value && value.GetValueKind() == JsonValueKind.String && StatusPinningProfiles.Contains(value.GetValue<string>()))
                profiles.RemoveAt(i);
        }

        if (profiles.Count == 0) meta.Remove("profile");
    }

    private static IEnumerable<string> TargetsOf(JsonObject provenance)
    {
        if (provenance["target"] is not JsonArray targets) yield break;
        foreach (var target in targets)
        {
            if (target?["reference"] is JsonValue value && value.GetValueKind() == JsonValueKind.String) yield return value.GetValue<string>();
        }
    }

    /// <summary><c>Type/id</c> of a resource the pipeline writes with PUT: never a Patient, a URL or a <c>urn:uuid:</c>.</summary>
    private static bool IsOwnedReference(string reference)
    {
        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash == reference.LastIndexOf('/') && slash < reference.Length - 1
            && !reference.StartsWith("Patient/", StringComparison.Ordinal) && !reference.Contains(':', StringComparison.Ordinal);
    }
}

/// <summary>What a re-sent report withdrew: the references set to entered-in-error, and the bundle that does it.</summary>
public sealed record ReportWithdrawal(IReadOnlyList<string> References, JsonObject Bundle);
