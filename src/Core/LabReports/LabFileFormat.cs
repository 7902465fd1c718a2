namespace PrecisionMed.Core.LabReports;

/// <summary>The lab file formats the pipeline recognises by content (never by file name).</summary>
public enum LabFileFormat
{
    Unknown = 0,
    FhirJson,
    Hl7v2,
    Vcf,
}
