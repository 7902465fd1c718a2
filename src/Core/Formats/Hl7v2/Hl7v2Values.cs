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
        ts = ts.Trim();
        if (ts.Length == 0) return null;
        var zoneAt = ts.Length > 4 ? ts.IndexOfAny(['+', '-'], 4) : -1; // shorter than YYYY: not a date, rejected below
        var local = zoneAt < 0 ? ts : ts[..zoneAt];
        var zone = zoneAt < 0 ? string.Empty : ts[zoneAt..];
        var dot = local.IndexOf('.', StringComparison.Ordinal);
        var fraction = dot < 0 ? string.Empty : local[dot..];
        var digits = dot < 0 ? local : local[..dot];
        if (digits.Length is not (4 or 6 or 8 or 10 or 12 or 14) || !digits.All(char.IsAsciiDigit)) return null;
        if (fraction.Length > 0 && (digits.Length != 14 || fraction.Length < 2 || !fraction[1..].All(char.IsAsciiDigit))) return null;
        if (zone.Length > 0 && (zone.Length != 5 || !zone[1..].All(char.IsAsciiDigit))) return null;
        if (!IsValidDate(digits)) return null;

        var date = digits.Length switch
        {
            4 => digits,
            6 => $"{digits[..4]}-{digits[4..6]}",
            _ => $"{digits[..4]}-{digits[4..6]}-{digits[6..8]}",
        };
        if (digits.Length <= 8) return date;

        var minutes = digits.Length >= 12 ? digits[10..12] : "00";
        var seconds = digits.Length >= 14 ? digits[12..14] : "00";
        if (int.Parse(digits[8..10], CultureInfo.InvariantCulture) > 23 || int.Parse(minutes, CultureInfo.InvariantCulture) > 59
            || int.Parse(seconds, CultureInfo.InvariantCulture) > 60)
            return null;
        var offset = zone.Length == 0 ? string.Empty : $"{zone[..3]}:{zone[3..]}";
        return $"{date}T{digits[8..10]}:{minutes}:{seconds}{fraction}{offset}";
    }

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
        if (value.IsEmpty) return null;
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

    /// <summary>SN: comparator ^ number [^ separator ^ number]. A range (<c>-</c>) becomes a range; a ratio stays text.</summary>
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
        return new TextValue(value.Value);
    }

    private static bool IsValidDate(string digits)
    {
        if (digits.Length < 6) return true;
        var month = int.Parse(digits[4..6], CultureInfo.InvariantCulture);
        if (month is < 1 or > 12) return false;
        if (digits.Length < 8) return true;
        var day = int.Parse(digits[6..8], CultureInfo.InvariantCulture);
        var year = int.Parse(digits[..4], CultureInfo.InvariantCulture);
        return year >= 1 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
    }
}
