using System.Text.Json;
using PrecisionMed.Core.Fhir;

namespace PrecisionMed.Core.Pipeline.Notifications;

/// <summary>
/// Told to EMRs after each report is written (docs/design.md, "Data flow"): where the result is and what state it is in,
/// so a subscriber reads it from the FHIR service. Free of PHI by construction: FHIR references (server
/// ids), the lab, the lab's accession, status, versions and correlation ids; never names, dates of birth,
/// identifiers or results.
/// </summary>
/// <param name="MessageId">
/// Deterministic per file and unit: a redelivered work item publishes the same id, so Service Bus
/// duplicate detection (and any idempotent subscriber) drops the repeat.
/// </param>
/// <param name="ReportReference"><c>DiagnosticReport/id</c>, or null for a bundle of results without a report.</param>
/// <param name="PatientReference"><c>Patient/id</c> as the FHIR service resolved it, when it said.</param>
/// <param name="Status">The report's FHIR status (final, corrected, amended, preliminary, cancelled...).</param>
/// <param name="Withdrawn">Results set to entered-in-error because this version of the report no longer carries them.</param>
public sealed record GenomicResultAvailable(
    string MessageId,
    string? ReportReference,
    string? PatientReference,
    string LabId,
    string Accession,
    string? Status,
    string? KnowledgeVersion,
    string FileId,
    int UnitIndex,
    string CorrelationId,
    DateTimeOffset OccurredAt,
    IReadOnlyList<string> Withdrawn)
{
    public const string EventType = nameof(GenomicResultAvailable);

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static GenomicResultAvailable? FromJson(string json) => JsonSerializer.Deserialize<GenomicResultAvailable>(json, JsonOptions);

    /// <summary>The message id for a unit of a file: the same on every delivery of that unit.</summary>
    public static string MessageIdFor(string fileId, int unitIndex) =>
        DeterministicIds.Create(EventType, fileId, unitIndex.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
