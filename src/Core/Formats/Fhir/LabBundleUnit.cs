using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Fhir;

/// <summary>One DiagnosticReport's unit of a lab's FHIR bundle, with the bundle and every unit it split into (references across units).</summary>
public sealed record LabBundleUnit(LabBundle Bundle, FhirReportUnit Unit, IReadOnlyList<FhirReportUnit> AllUnits);
