namespace PrecisionMed.Core.LabReports;

/// <summary>
/// One fact of a finding, keyed by its code: for genomic findings the LOINC panel item (e.g.
/// 48004-6 DNA change), which is also the code of the matching Genomics IG component.
/// </summary>
public sealed record ReportComponent(Coding Code, ReportedValue Value);
