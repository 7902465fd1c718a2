using System.Text.Json;
using System.Text.Json.Nodes;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir;

/// <summary>
/// A report's transaction bundles as nodes, while they are still being built (a lab's FHIR bundle re-identified by
/// <see cref="ReportTransactionBuilder"/>, then enriched): <see cref="ToTransaction"/> writes them to UTF-8 once, with
/// the facts the pipeline reads instead of the JSON.
/// </summary>
/// <param name="Accession">The report's accession.</param>
/// <param name="ReportReference"><c>DiagnosticReport/id</c>, or null for a bundle of results without a report.</param>
/// <param name="OwnedReferences"><c>Type/id</c> of each resource written with PUT.</param>
/// <param name="Bundles">The bundles, each with the Patient entries, the report in the last.</param>
public sealed record TransactionDraft(string Accession, string? ReportReference, IReadOnlyList<string> OwnedReferences, IReadOnlyList<JsonObject> Bundles)
{
    private const string IdentifierParameter = "identifier=";

    /// <summary>See <see cref="ReportTransaction.Skipped"/>.</summary>
    public IReadOnlyList<LabFileProblem> Skipped { get; init; } = [];

    /// <summary>See <see cref="ReportTransaction.KnowledgeVersion"/>.</summary>
    public string? KnowledgeVersion { get; init; }

    /// <summary>The bundles as compact UTF-8, with their Patients and the report's status.</summary>
    public ReportTransaction ToTransaction() =>
        new(Accession, ReportReference, OwnedReferences, Bundles.Count == 0 ? [] : [.. PatientsOf(Bundles[0])], Utf8Bundles.Write(Bundles), ReportStatusOf(), -1)
        {
            Skipped = Skipped,
            KnowledgeVersion = KnowledgeVersion,
        };

    /// <summary>The Patient entries (conditional creates) with the identifier their <c>ifNoneExist</c> searches by.</summary>
    private static IEnumerable<ReportPatient> PatientsOf(JsonObject bundle)
    {
        foreach (var entry in bundle["entry"] as JsonArray ?? [])
        {
            if (entry?["resource"] is not JsonObject resource || entry["request"]?["ifNoneExist"] is not JsonValue condition) continue;
            if (!condition.TryGetValue<string>(out var text) || !text.StartsWith(IdentifierParameter, StringComparison.Ordinal)) continue;

            // PatientIdentity escapes system and value, so the only bare '|' is the separator.
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            if (bar < 0) continue;
            var fullUrl = entry["fullUrl"] is JsonValue url && url.TryGetValue<string>(out var full) ? full : string.Empty;
            yield return ReportPatient.Of(
                resource, fullUrl, Uri.UnescapeDataString(text[IdentifierParameter.Length..bar]), Uri.UnescapeDataString(text[(bar + 1)..]));
        }
    }

    /// <summary>The report's status in the last bundle, where the builders put it; a lab's value that is not a string is none.</summary>
    private string? ReportStatusOf()
    {
        if (ReportReference is null || Bundles.Count == 0 || Bundles[^1]["entry"] is not JsonArray entries) return null;
        foreach (var entry in entries)
        {
            if (entry?["request"]?["url"] is JsonValue url && url.GetValueKind() == JsonValueKind.String && url.GetValue<string>() == ReportReference)
                return entry["resource"]?["status"] is JsonValue status && status.GetValueKind() == JsonValueKind.String ? status.GetValue<string>() : null;
        }

        return null;
    }
}
