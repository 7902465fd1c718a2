namespace PrecisionMed.Core.LabReports;

/// <summary>
/// A value as a lab reported it, already typed: what a FHIR value[x] or component value becomes.
/// Parsers produce these from OBX-5 / VCF fields; the FHIR builders turn them into JSON.
/// </summary>
public abstract record ReportedValue;

/// <summary>A coded value (CodeableConcept): one or more codings and the original text.</summary>
public sealed record CodedValue(IReadOnlyList<Coding> Codings, string? Text = null) : ReportedValue
{
    public CodedValue(Coding coding)
        : this([coding])
    {
    }
}

/// <summary>A number with its unit (UCUM when the lab says so).</summary>
public sealed record QuantityValue(decimal Value, string? Unit = null, string? UnitSystem = null, string? UnitCode = null, string? Comparator = null) : ReportedValue;

/// <summary>A range of two numbers, e.g. a genomic start-end or a structural variant's inner range.</summary>
public sealed record RangeValue(decimal? Low, decimal? High, string? Unit = null) : ReportedValue;

/// <summary>Free text (ST/TX/FT) or a string the IG keeps as a string (ref/alt alleles).</summary>
public sealed record TextValue(string Text) : ReportedValue;

/// <summary>A date or date-time as reported, kept with its precision (FHIR dateTime text).</summary>
public sealed record DateTimeValue(string FhirDateTime) : ReportedValue;
