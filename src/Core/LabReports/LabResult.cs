namespace PrecisionMed.Core.LabReports;

/// <summary>
/// A non-genomic result (a general lab OBX row): written as a plain laboratory Observation so
/// nothing the lab sent is lost.
/// </summary>
/// <param name="Status">The result's own status (FHIR or HL7 v2 OBX-11 code); null when the lab gave none: the report's.</param>
public sealed record LabResult(
    string Key,
    CodedValue Code,
    ReportedValue? Value,
    string? Status,
    string? ReferenceRange = null,
    IReadOnlyList<CodedValue>? Interpretations = null,
    string? Effective = null,
    IReadOnlyList<string>? Notes = null);
