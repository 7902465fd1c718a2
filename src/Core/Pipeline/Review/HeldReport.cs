using System.Text.Json;
using System.Text.Json.Serialization;

namespace PrecisionMed.Core.Pipeline.Review;

/// <summary>
/// The <c>.held.json</c> written to <c>review/</c> beside the copy of a file with a held report: which unit, and which
/// patient details disagree with the EMR's Patient. It names fields, never values, so it can be listed and logged.
/// </summary>
public sealed record HeldReport
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public required string FileId { get; init; }
    public required string LabId { get; init; }

    /// <summary>The original's path when it arrived, e.g. <c>incoming/lab-a/run-7.hl7</c>.</summary>
    public required string File { get; init; }
    public int UnitIndex { get; init; }
    public string? Accession { get; init; }

    /// <summary>
    /// The FHIR Patient elements that disagree, e.g. <c>birthDate</c>, <c>gender</c>, <c>name.family</c>; or
    /// <see cref="IdentifierField"/> alone when the identifier matches several Patients.
    /// </summary>
    public required IReadOnlyList<string> Fields { get; init; }
    public required string Reason { get; init; }
    public DateTimeOffset At { get; init; }
    public required string PipelineVersion { get; init; }

    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions);

    public static HeldReport? Parse(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize<HeldReport>(json, JsonOptions);

    /// <summary>The element a multiple-match hold names: the patient identifier finds more than one Patient.</summary>
    public const string IdentifierField = "identifier";

    /// <summary>The element a hold names when the report's patient is not the one its accession was reported for.</summary>
    public const string SubjectField = "subject";

    /// <summary>The same accession reported before for another patient: a patient-safety hold, never an amendment.</summary>
    public const string ReasonForAnotherPatient =
        "held for review: the lab's accession was reported before for another patient, so this report cannot amend that one; "
        + "nothing was written and the earlier report is untouched (the lab must resend under the report's own accession)";

    /// <summary>The multiple-match check's reason: how many Patients, never which.</summary>
    public static string ReasonForMultipleMatches(int patients) =>
        $"held for review by the patient multiple-match check: the patient identifier matches {patients} Patients in the FHIR service "
        + "(concurrent first reports can each create one), so the report cannot be tied to one; merge them in the EMR, then release";

    /// <summary>The ledger's and the report's reason: the fields by name, never what either side holds.</summary>
    public static string ReasonFor(IReadOnlyList<string> fields) =>
        $"held for review: the patient identifier matches an existing Patient whose {string.Join(", ", fields)} "
        + (fields.Count == 1 ? "disagrees" : "disagree") + " with the report";
}
