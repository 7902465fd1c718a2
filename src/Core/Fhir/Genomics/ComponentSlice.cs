using System.Globalization;
using System.Text.Json;
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

    /// <summary>True when the value fits the slice; otherwise false with the reason it does not.</summary>
    public bool Fits(ReportedValue value, out string? reason)
    {
        reason = WriteValue(null, value)
            ? null
            : $"a {Describe(value)} value does not fit the IG slice '{Name}' ({Code}), which takes {Types}";
        return reason is null;
    }

    /// <summary>Writes the components, each value already known to <see cref="Fits"/>, as a JSON array.</summary>
    public static void WriteArray(Utf8JsonWriter writer, IReadOnlyList<(ComponentSlice Slice, ReportedValue Value, string? Display)> components)
    {
        writer.WriteStartArray();
        foreach (var (slice, value, display) in components)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("code");
            FhirJson.WriteConcept(writer, slice.System, slice.Code, display);
            slice.WriteValue(writer, value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>
    /// Writes the value as the first value[x] type of the slice it fits, or only tells whether it fits when
    /// <paramref name="writer"/> is null (one decision for both, so a checked value is always written the same way).
    /// </summary>
    private bool WriteValue(Utf8JsonWriter? writer, ReportedValue value)
    {
        if (Types.HasFlag(ComponentValueTypes.CodeableConcept))
        {
            switch (value)
            {
                case CodedValue coded when FhirJson.HasConcept(coded):
                    if (writer is not null)
                    {
                        writer.WritePropertyName("valueCodeableConcept");
                        FhirJson.WriteConcept(writer, coded);
                    }

                    return true;
                case TextValue { Text: var text } when !string.IsNullOrWhiteSpace(text):
                    if (writer is not null)
                    {
                        writer.WritePropertyName("valueCodeableConcept");
                        WriteTextCoding(writer, text.Trim());
                    }

                    return true;
            }
        }

        if (Types.HasFlag(ComponentValueTypes.Quantity))
        {
            switch (value)
            {
                case QuantityValue quantity:
                    if (writer is not null)
                    {
                        writer.WritePropertyName("valueQuantity");
                        FhirJson.WriteQuantity(writer, quantity);
                    }

                    return true;
                case TextValue { Text: var text } when TryNumber(text, out var number):
                    if (writer is not null)
                    {
                        writer.WriteStartObject("valueQuantity");
                        writer.WriteNumber("value", number);
                        writer.WriteEndObject();
                    }

                    return true;
            }
        }

        if (Types.HasFlag(ComponentValueTypes.Range))
        {
            (decimal? Low, decimal? High, string? Unit)? range = value switch
            {
                RangeValue r => (r.Low, r.High, r.Unit),
                QuantityValue { Comparator: null } q => (q.Value, null, q.Unit),
                TextValue { Text: var text } => TextRange(text),
                _ => null,
            };
            if (range is { } ends && (ends.Low is not null || ends.High is not null))
            {
                if (writer is not null)
                {
                    writer.WritePropertyName("valueRange");
                    FhirJson.WriteRange(writer, ends.Low, ends.High, ends.Unit);
                }

                return true;
            }
        }

        if (Types.HasFlag(ComponentValueTypes.String))
        {
            var text = value switch
            {
                TextValue t => t.Text,
                CodedValue c => c.Text ?? FirstCodeOrDisplay(c),
                _ => null,
            };
            if (!string.IsNullOrWhiteSpace(text))
            {
                writer?.WriteString("valueString", text);
                return true;
            }
        }

        return false;
    }

    private static string? FirstCodeOrDisplay(CodedValue value)
    {
        foreach (var coding in value.Codings)
        {
            if (!string.IsNullOrWhiteSpace(coding.Code ?? coding.Display)) return coding.Code ?? coding.Display;
        }

        return null;
    }

    private void WriteTextCoding(Utf8JsonWriter writer, string text)
    {
        switch (TextCoding)
        {
            // The IG's HGVS and reference-sequence examples carry the expression as a code, not only as text.
            case TextCoding.Hgvs:
                FhirJson.WriteConcept(writer, LabReports.Coding.Hgvs, text, null);
                break;
            case TextCoding.RefSeq when RefSeqAccession().IsMatch(text):
                FhirJson.WriteConcept(writer, LabReports.Coding.RefSeq, text, null);
                break;
            default:
                writer.WriteStartObject();
                writer.WriteString("text", text);
                writer.WriteEndObject();
                break;
        }
    }

    private static (decimal? Low, decimal? High, string? Unit)? TextRange(string text)
    {
        text = text.Trim();
        if (TryNumber(text, out var single)) return (single, null, null);
        var dash = text.IndexOf('-', 1);
        return dash > 0 && TryNumber(text[..dash], out var low) && TryNumber(text[(dash + 1)..], out var high)
            ? (low, high, null)
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
