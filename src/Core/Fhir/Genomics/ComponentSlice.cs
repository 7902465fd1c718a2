using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir.Genomics;

/// <summary>The value types an IG component slice allows (its value[x] type list).</summary>
[Flags]
internal enum ComponentValueTypes
{
    None = 0,
    CodeableConcept = 1,
    Quantity = 2,
    Range = 4,
    String = 8,
}

/// <summary>How free text becomes a coding in a slice whose values are identifiers in a known system.</summary>
internal enum TextCoding
{
    None,
    Hgvs,
    RefSeq,
}

/// <summary>
/// One component slice of an IG Observation profile: its code (the slice's patternCodeableConcept), the value
/// types it allows and whether it repeats. Converts a lab's value to the JSON the slice requires.
/// </summary>
internal sealed partial record ComponentSlice(
    string Name,
    string System,
    string Code,
    ComponentValueTypes Types,
    bool Repeats = false,
    TextCoding TextCoding = TextCoding.None)
{
    /// <summary>True when the lab's component code is this slice's (a code without a system is taken as the slice's).</summary>
    public bool Matches(LabReports.Coding code) =>
        string.Equals(code.Code, Code, StringComparison.Ordinal)
        && (string.IsNullOrEmpty(code.System) || string.Equals(code.System, System, StringComparison.Ordinal));

    /// <summary>The component JSON, or null with the reason the value does not fit the slice.</summary>
    public JsonObject? Convert(ReportedValue value, string? display, out string? reason)
    {
        reason = null;
        if (ConvertValue(value) is { } converted)
        {
            var component = new JsonObject { ["code"] = FhirJson.Concept(System, Code, display) };
            component[converted.Property] = converted.Value;
            return component;
        }

        reason = $"a {Describe(value)} value does not fit the IG slice '{Name}' ({Code}), which takes {Types}";
        return null;
    }

    private (string Property, JsonNode Value)? ConvertValue(ReportedValue value)
    {
        if (Types.HasFlag(ComponentValueTypes.CodeableConcept))
        {
            var concept = value switch
            {
                CodedValue coded => FhirJson.Concept(coded),
                TextValue { Text: var text } when !string.IsNullOrWhiteSpace(text) => TextConcept(text.Trim()),
                _ => null,
            };
            if (concept is not null) return ("valueCodeableConcept", concept);
        }

        if (Types.HasFlag(ComponentValueTypes.Quantity))
        {
            var quantity = value switch
            {
                QuantityValue q => FhirJson.Quantity(q),
                TextValue { Text: var text } when TryNumber(text, out var number) => new JsonObject { ["value"] = number },
                _ => null,
            };
            if (quantity is not null) return ("valueQuantity", quantity);
        }

        if (Types.HasFlag(ComponentValueTypes.Range))
        {
            var range = value switch
            {
                RangeValue r => FhirJson.Range(r.Low, r.High, r.Unit),
                QuantityValue { Comparator: null } q => FhirJson.Range(q.Value, null, q.Unit),
                TextValue { Text: var text } => TextRange(text),
                _ => null,
            };
            if (range is not null) return ("valueRange", range);
        }

        if (Types.HasFlag(ComponentValueTypes.String))
        {
            var text = value switch
            {
                TextValue t => t.Text,
                CodedValue c => c.Text ?? c.Codings.Select(x => x.Code ?? x.Display).FirstOrDefault(x => !string.IsNullOrWhiteSpace(x)),
                _ => null,
            };
            if (!string.IsNullOrWhiteSpace(text)) return ("valueString", text);
        }

        return null;
    }

    private JsonObject TextConcept(string text) => TextCoding switch
    {
        // The IG's HGVS and reference-sequence examples carry the expression as a code, not only as text.
        TextCoding.Hgvs => FhirJson.Concept(LabReports.Coding.Hgvs, text),
        TextCoding.RefSeq when RefSeqAccession().IsMatch(text) => FhirJson.Concept(LabReports.Coding.RefSeq, text),
        _ => FhirJson.TextConcept(text),
    };

    private static JsonObject? TextRange(string text)
    {
        text = text.Trim();
        if (TryNumber(text, out var single)) return FhirJson.Range(single, null, null);
        var dash = text.IndexOf('-', 1);
        return dash > 0 && TryNumber(text[..dash], out var low) && TryNumber(text[(dash + 1)..], out var high)
            ? FhirJson.Range(low, high, null)
            : null;
    }

    private static bool TryNumber(string text, out decimal number) =>
        decimal.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out number);

    private static string Describe(ReportedValue value) => value switch
    {
        CodedValue => "coded",
        QuantityValue => "quantity",
        RangeValue => "range",
        TextValue => "text",
        DateTimeValue => "date-time",
        _ => value.GetType().Name,
    };

    [GeneratedRegex("^(NC|NG|NM|NR|NP|NT|NW|XM|XR|XP)_[0-9]+(\\.[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex RefSeqAccession();
}
