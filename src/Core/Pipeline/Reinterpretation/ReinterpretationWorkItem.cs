using System.Text.Json;

namespace PrecisionMed.Core.Pipeline.Reinterpretation;

/// <summary>
/// One affected report to reinterpret for one stored diff: the message on the <c>reinterpretations</c> queue. FHIR
/// references and ids only (claim-check): which implications and values change is read from the index and the diff,
/// never carried, since a variant tied to a patient is PHI.
/// </summary>
public sealed record ReinterpretationWorkItem(string DiffId, string Patient, string Report, string CorrelationId, int Attempt = 1)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The work item, or null when the message is not one (it then goes to the poison queue as unreadable).</summary>
    public static ReinterpretationWorkItem? TryParse(string message)
    {
        try
        {
            var item = JsonSerializer.Deserialize<ReinterpretationWorkItem>(message, Json);
            return item is { DiffId.Length: > 0, Patient.Length: > 0, Report.Length: > 0 } ? item : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>What one reinterpretation of a report did.</summary>
/// <param name="Amended">Implications written as a new version (amended or entered-in-error) by this delivery.</param>
/// <param name="AlreadyDone">Implications an earlier delivery had amended for this diff (nothing written again).</param>
/// <param name="Notified">Notices published (at or above the configured impact).</param>
/// <param name="Recorded">Changes below the impact notified: amended and recorded, not notified.</param>
/// <param name="FhirRequests">Reads and transactions sent to the FHIR service.</param>
/// <param name="TasksAmended">MedicationRecommendation Tasks written as a new version (revised or cancelled) by this delivery.</param>
public sealed record ReinterpretationOutcome(int Amended, int AlreadyDone, int Notified, int Recorded, int FhirRequests, int TasksAmended = 0)
{
    public static ReinterpretationOutcome Nothing { get; } = new(0, 0, 0, 0, 0);
}
