using System.Text.Json;
using System.Text.Json.Serialization;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Knowledge.Diff;

namespace PrecisionMed.Core.Pipeline.Notifications;

/// <summary>
/// Told to EMRs when a knowledge change amended one of our implications of a report already sent: where the report and
/// the implication are, the old and the new value, and how much it matters. Free of other PHI: FHIR references, the
/// classification's words, versions and ids; no names, identifiers, dates of birth or variant calls.
/// </summary>
/// <param name="MessageId">Deterministic per diff and implication: a redelivered work item publishes the same id.</param>
/// <param name="Implication"><c>Observation/id</c> of the amended (or withdrawn) implication.</param>
/// <param name="Status"><c>amended</c>, or <c>entered-in-error</c> when the source withdrew the classification.</param>
public sealed record GenomicResultReinterpreted(
    string MessageId,
    string PatientReference,
    string ReportReference,
    string Implication,
    string Status,
    string? OldValue,
    string? NewValue,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ClinicalImpact>))] ClinicalImpact Impact,
    string DiffId,
    string? FromKnowledgeVersion,
    string ToKnowledgeVersion,
    string CorrelationId,
    DateTimeOffset OccurredAt)
{
    public const string EventType = nameof(GenomicResultReinterpreted);

    public string ToJson() => JsonSerializer.Serialize(this, GenomicResultAvailable.JsonOptions);

    public static GenomicResultReinterpreted? FromJson(string json) => JsonSerializer.Deserialize<GenomicResultReinterpreted>(json, GenomicResultAvailable.JsonOptions);

    public static string MessageIdFor(string diffId, string implication) => DeterministicIds.Create(EventType, diffId, implication);
}
