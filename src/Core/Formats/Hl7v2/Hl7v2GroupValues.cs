using System.Globalization;
using PrecisionMed.Core.LabReports;
using static PrecisionMed.Core.Formats.Hl7v2.Hl7v2GenomicCodes;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>Values read from an OBX group that several finding mappers share.</summary>
internal static class Hl7v2GroupValues
{
    internal static VariantAssessment? AssessmentOf(ReportedValue? value) =>
        HasAnswer(value, "LA9633-4") ? VariantAssessment.Present
        : HasAnswer(value, "LA9634-2") ? VariantAssessment.Absent
        : HasAnswer(value, "LA18198-4") ? VariantAssessment.NoCall
        : HasAnswer(value, "LA11884-6") ? VariantAssessment.Indeterminate
        : null;

    /// <summary>Every gene a group names (48018-6 may repeat), in order, without the "no gene" placeholder.</summary>
    internal static List<CodedValue> GenesOf(ObxGroup group) =>
        group.Of(Gene).SelectMany(r => r.Values.Select(v => Shape(Gene, v))).OfType<CodedValue>()
            .Where(g => !IsNoGenePlaceholder(g)).ToList();

    internal static CodedValue? GeneOf(ObxGroup group) =>
        group.Of(Gene).Select(r => r.Shaped).OfType<CodedValue>().FirstOrDefault(g => !IsNoGenePlaceholder(g));

    internal static bool SameGene(CodedValue? a, CodedValue b) =>
        a is not null && (a.Codings.Any(x => b.Codings.Any(y => x.Code is not null && x.Code == y.Code && x.System == y.System))
            || (TextOf(a) is var t && t.Length > 0 && t == TextOf(b)));

    internal static string TextOf(ReportedValue value) => value switch
    {
        TextValue t => t.Text,
        CodedValue c => c.Codings.FirstCoding()?.Display ?? c.Text ?? c.Codings.FirstCoding()?.Code ?? string.Empty,
        QuantityValue q => q.Value.ToString(CultureInfo.InvariantCulture),
        RangeValue r => string.Create(CultureInfo.InvariantCulture, $"{r.Low}-{r.High}"),
        DateTimeValue d => d.FhirDateTime,
        _ => string.Empty,
    };
}
