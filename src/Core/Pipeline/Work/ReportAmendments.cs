using System.Text.Json;
using System.Text.Json.Nodes;
using PrecisionMed.Core.Fhir;

namespace PrecisionMed.Core.Pipeline.Work;

/// <summary>
/// Amendments of reports whose format states no status of its own (VCF, docs/design.md, "Contracts"): a file sent again for an
/// accession the FHIR service already holds, with other content, is a re-analysis, so its report is written
/// <c>amended</c> rather than <c>final</c> (and results it no longer carries are withdrawn by
/// <see cref="ReportWithdrawals"/>). A lab that states a status (HL7 v2 OBR-25, a FHIR bundle) is taken at its word.
/// The previous version is known by the report's deterministic Provenance, which names the content hash it came from.
/// </summary>
public static class ReportAmendments
{
    public const string Amended = "amended";

    /// <summary>
    /// Sets the report in <paramref name="transaction"/> to amended when it replaces another version (<paramref name="previous"/>,
    /// the Provenance that version wrote: <see cref="ReportWithdrawals.PreviousProvenanceAsync"/>); true when it did.
    /// </summary>
    public static async Task<bool> ApplyAsync(
        ReportTransaction transaction, string contentHash, JsonObject? previous, IFhirWriter fhir, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(fhir);
        if (previous is null || transaction.StatusStatedByLab || transaction.ReportReference is null) return false;
        if (transaction.ReportStatus != "final") return false;

        // Other bytes: a new version. The same bytes again (a redelivery or replay): whatever the first delivery
        // decided stands, so an amended report is not turned back to final.
        var amends = !string.Equals(SourceHashOf(previous), contentHash, StringComparison.Ordinal)
            || StringOf((await fhir.ReadAsync(transaction.ReportReference, cancellationToken))?["status"]) == Amended;
        if (amends) transaction.SetReportStatus(Amended);
        return amends;
    }

    private static string? SourceHashOf(JsonObject provenance)
    {
        if (provenance["entity"] is not JsonArray entities) return null;
        foreach (var entity in entities)
        {
            if (entity?["what"]?["identifier"] is JsonObject identifier && StringOf(identifier["system"]) == ProvenanceResource.ContentHashSystem)
                return StringOf(identifier["value"]);
        }

        return null;
    }

    private static string? StringOf(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
