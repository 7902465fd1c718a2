using System.Globalization;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>HL7 v2 data types (TS/DTM, NM, SN, NR, ST/TX/FT, CWE) as canonical reported values.</summary>
internal static class Hl7v2Values
{
    private const NumberStyles Number =
        NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite;

    /// <summary>
    /// An HL7 TS/DTM (<c>YYYY[MM[DD[HH[MM[SS[.S...]]]]]][+/-ZZZZ]</c>) as a FHIR dateTime with the same
    /// precision: a time gets its seconds (FHIR requires them) and keeps its offset when the lab sent one.
    /// Null when the text is not a date/time.
    /// </summary>
    public static string? ToFhirDateTime(string ts)
    {
        // Spans throughout and one string at the end: every OBX, OBR and SPM time passes here.
        var span = ts.AsSpan().Trim();
        if (span.Length == 0) return null;
        var zoneAt = span.Length > 4 ? span[4..].IndexOfAny('+', '-') : -1; // shorter than YYYY: not a date, rejected below
        if (zoneAt >= 0) zoneAt += 4;
        var local = zoneAt < 0 ? span : span[..zoneAt];
        var zone = zoneAt < 0 ? default : span[zoneAt..];
        var dot = local.IndexOf('.');
        var fraction = dot < 0 ? default : local[dot..];
        var digits = dot < 0 ? local : local[..dot];
        if (digits.Length is not (4 or 6 or 8 or 10 or 12 or 14) || digits.ContainsAnyExceptInRange('0', '9')) return null;
        if (fraction.Length > 0 && (digits.Length != 14 || fraction.Length < 2 || fraction[1..].ContainsAnyExceptInRange('0', '9'))) return null;
        if (zone.Length > 0 && (zone.Length != 5 || zone[1..].ContainsAnyExceptInRange('0', '9'))) return null;
        if (!IsValidDate(digits)) return null;
        if (digits.Length == 4) return digits.Length == ts.Length ? ts : digits.ToString();
        if (digits.Length > 8 && (TwoDigits(digits, 8) > 23 || (digits.Length >= 12 && TwoDigits(digits, 10) > 59) || (digits.Length >= 14 && TwoDigits(digits, 12) > 60)))
            return null;

        var length = digits.Length == 6 ? 7 : 10;
        if (digits.Length > 8) length += 9 + fraction.Length + (zone.Length > 0 ? 6 : 0);
        var chars = length <= 128 ? stackalloc char[length] : new char[length];
        digits[..4].CopyTo(chars);
        chars[4] = '-';
        digits[4..6].CopyTo(chars[5..]);
        if (digits.Length >= 8)
        {
            chars[7] = '-';
            digits[6..8].CopyTo(chars[8..]);
        }

        if (digits.Length > 8)
        {
            chars[10] = 'T';
            digits[8..10].CopyTo(chars[11..]);
            chars[13] = ':';
            if (digits.Length >= 12) digits[10..12].CopyTo(chars[14..]);
            else "00".CopyTo(chars[14..]);
            chars[16] = ':';
            if (digits.Length >= 14) digits[12..14].CopyTo(chars[17..]);
            else "00".CopyTo(chars[17..]);
            fraction.CopyTo(chars[19..]);
            if (zone.Length > 0)
            {
                var at = 19 + fraction.Length;
                zone[..3].CopyTo(chars[at..]);
                chars[at + 3] = ':';
                zone[3..].CopyTo(chars[(at + 4)..]);
            }
        }

        return new string(chars);
    }

    private static int TwoDigits(ReadOnlySpan<char> digits, int at) => ((digits[at] - '0') * 10) + digits[at + 1] - '0';

    /// <summary>A birth date (PID-7) as a FHIR date: the time part, if any, is dropped.</summary>
    public static string? ToFhirDate(string ts)
    {
        var dateTime = ToFhirDateTime(ts);
        if (dateTime is null) return null;
        var t = dateTime.IndexOf('T', StringComparison.Ordinal);
        return t < 0 ? dateTime : dateTime[..t];
    }

    public static bool TryParseDecimal(string text, out decimal value) =>
        decimal.TryParse(text, Number, CultureInfo.InvariantCulture, out value);

    /// <summary>A number with the unit of OBX-6 (CWE: code, text, coding system; UCUM when it says so).</summary>
    public static QuantityValue Quantity(decimal value, Hl7v2Element units, string? comparator = null)
    {
        var code = units.Component(1).Value.Trim();
        if (code.Length == 0) return new QuantityValue(value, Comparator: comparator);
        var text = units.Component(2).Value;
        var isUcum = units.Component(3).Value.Equals("UCUM", StringComparison.OrdinalIgnoreCase);
        return new QuantityValue(value, text.Length > 0 ? text : code, isUcum ? Coding.Ucum : null, code, comparator);
    }

    /// <summary>
    /// One repetition of OBX-5 typed by OBX-2. Types without a canonical shape (ID, IS, CX, ...) are
    /// kept as text so nothing is lost; null when the repetition is empty.
    /// </summary>
    public static ReportedValue? ToValue(string valueType, Hl7v2Element value, Hl7v2Element units, string labId)
    {
        // "" is HL7's explicit null: the value is absent (or withdrawn), not the two quote marks.
        if (value.IsEmpty || value.IsNull) return null;
        switch (valueType)
        {
            case "CWE" or "CE" or "CNE" or "CF":
                return Hl7v2Codes.ToCodedValue(value, labId, bareCodeIsText: true);
            case "NM":
                return TryParseDecimal(value.Value, out var number) ? Quantity(number, units) : new TextValue(value.Value);
            case "SN":
                return StructuredNumeric(value, units);
            case "NR":
                return (ReportedValue?)Range(value.Component(1).Value, value.Component(2).Value, units) ?? new TextValue(value.Value);
            case "DT" or "DTM" or "TS":
                return ToFhirDateTime(value.Component(1).Value) is { } dateTime ? new DateTimeValue(dateTime) : new TextValue(value.Value);
            default:
                var text = value.Value;
                return text.Length == 0 ? null : new TextValue(text);
        }
    }

    /// <summary>A range from two numbers (either may be missing, not both); null when they are not numbers.</summary>
    public static RangeValue? Range(string low, string high, Hl7v2Element units)
    {
        decimal? lowValue = null, highValue = null;
        if (low.Length > 0)
        {
            if (!TryParseDecimal(low, out var l)) return null;
            lowValue = l;
        }

        if (high.Length > 0)
        {
            if (!TryParseDecimal(high, out var h)) return null;
            highValue = h;
        }

        if (lowValue is null && highValue is null) return null;
        var unit = units.Component(1).Value;
        return new RangeValue(lowValue, highValue, unit.Length > 0 ? unit : null);
    }

    /// <summary>
    /// SN: comparator ^ number [^ separator ^ number]. A range (<c>-</c>) becomes a range; a ratio or titer stays text, as the
    /// lab wrote it without the component separators (<c>1:128</c>, not the encoded <c>^1^:^128</c>).
    /// </summary>
    private static ReportedValue StructuredNumeric(Hl7v2Element value, Hl7v2Element units)
    {
        var comparator = value.Component(1).Value.Trim();
        var first = value.Component(2).Value;
        var separator = value.Component(3).Value;
        var second = value.Component(4).Value;
        if (separator.Length == 0 && second.Length == 0 && TryParseDecimal(first, out var number)
            && comparator is "" or "=" or "<" or ">" or "<=" or ">=")
        {
            return Quantity(number, units, comparator is "" or "=" ? null : comparator);
        }

        if (separator == "-" && comparator.Length == 0 && Range(first, second, units) is { } range) return range;
        var text = string.Concat(comparator, first.Trim(), separator.Trim(), second.Trim());
        return new TextValue(text.Length > 0 ? text : value.Value);
    }

    private static bool IsValidDate(ReadOnlySpan<char> digits)
    {
        if (digits.Length < 6) return true;
        var month = TwoDigits(digits, 4);
        if (month is < 1 or > 12) return false;
        if (digits.Length < 8) return true;
        var day = TwoDigits(digits, 6);
        var year = (TwoDigits(digits, 0) * 100) + TwoDigits(digits, 2);
        return year >= 1 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
    }
}
