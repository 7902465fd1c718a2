namespace PrecisionMed.Core.LabReports;

/// <summary>One report unit of a lab bundle: the entries that make up one report.</summary>
/// <param name="ReportEntryIndex">The DiagnosticReport's entry, or null for a bundle of results with no report.</param>
public sealed record FhirReportUnit(int UnitIndex, int? ReportEntryIndex, IReadOnlyList<int> EntryIndexes);
