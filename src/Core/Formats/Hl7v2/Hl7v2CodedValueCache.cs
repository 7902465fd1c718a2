using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>Coded values (CWE/CE/CNE) read once per distinct element and lab (<see cref="Hl7v2ElementCache{T}"/>).</summary>
internal static class Hl7v2CodedValueCache
{
    private static readonly Hl7v2ElementCache<CodedValue?> Values = new(8192);

    public static CodedValue? GetOrRead(Hl7v2Element element, string labId, bool bareCodeIsText) =>
        bareCodeIsText
            ? Values.GetOrRead(element, labId, 'T', static (e, lab) => Hl7v2Codes.ReadCodedValue(e, lab, bareCodeIsText: true))
            : Values.GetOrRead(element, labId, 'C', static (e, lab) => Hl7v2Codes.ReadCodedValue(e, lab, bareCodeIsText: false));
}
