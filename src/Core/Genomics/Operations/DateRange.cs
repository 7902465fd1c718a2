using System.Text.RegularExpressions;

namespace PrecisionMed.Core.Genomics.Operations;

/// <summary>
/// A test date range: a FHIR Period (start and end inclusive, each at its own precision) or the search prefixes a query
/// string carries (<c>ge2020-01-01</c>, <c>le2024-12-31</c>, <c>gt</c>, <c>lt</c>, <c>eq</c> or a bare date).
/// </summary>
public sealed partial record DateRange(string? Start, bool StartInclusive, string? End, bool EndInclusive)
{
    /// <summary>A period's bounds (either may be null); false when a bound is not a FHIR date or dateTime.</summary>
    public static bool TryFromPeriod(string? start, string? end, out DateRange range, out string reason)
    {
        range = new DateRange(start, true, end, true);
        reason = "not a FHIR date or dateTime (YYYY, YYYY-MM, YYYY-MM-DD, or with a time)";
        return (start is null || DatePattern().IsMatch(start)) && (end is null || DatePattern().IsMatch(end));
    }

    /// <summary>Narrows the range by one prefixed value (<c>ge2020-01-01</c>).</summary>
    public static bool TryAddPrefixed(DateRange? range, string value, out DateRange narrowed, out string reason)
    {
        range ??= new DateRange(null, true, null, true);
        narrowed = range;
        var text = (value ?? string.Empty).Trim();
        var prefix = text.Length > 2 && char.IsAsciiLetter(text[0]) ? text[..2] : "eq";
        var date = prefix == "eq" && !text.StartsWith("eq", StringComparison.Ordinal) ? text : text[2..];
        reason = "not a date with an optional ge, gt, le, lt or eq prefix (ge2020-01-01)";
        if (!DatePattern().IsMatch(date)) return false;
        switch (prefix)
        {
            case "ge": narrowed = range with { Start = date, StartInclusive = true }; return true;
            case "gt": narrowed = range with { Start = date, StartInclusive = false }; return true;
            case "le": narrowed = range with { End = date, EndInclusive = true }; return true;
            case "lt": narrowed = range with { End = date, EndInclusive = false }; return true;
            case "eq": narrowed = range with { Start = date, StartInclusive = true, End = date, EndInclusive = true }; return true;
            default: return false;
        }
    }

    /// <summary>Whether the test date falls in the range; a test without a date is outside any range.</summary>
    public bool Contains(string? testDate)
    {
        if (string.IsNullOrEmpty(testDate)) return false;
        // ISO dates compare as text when cut to the bound's own precision: 2020-07-13 is within le2020-07 and ge2020.
        if (Start is not null)
        {
            var order = string.CompareOrdinal(Cut(testDate, Start.Length), Start);
            if (order < 0 || (order == 0 && !StartInclusive)) return false;
        }

        if (End is not null)
        {
            var order = string.CompareOrdinal(Cut(testDate, End.Length), End);
            if (order > 0 || (order == 0 && !EndInclusive)) return false;
        }

        return true;
    }

    private static string Cut(string date, int length) => date.Length > length ? date[..length] : date;

    [GeneratedRegex(@"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();
}
