using System.Text.RegularExpressions;

namespace PrecisionMed.Core.LabReports;

/// <summary>
/// The FHIR R4 regular expressions for date, dateTime and instant: a value that does not match is
/// reported as skipped rather than written into a resource the server would reject. A time of day needs a
/// zone in both dateTime and instant, and no zone is ever invented: a zone-less date-time (an HL7 v2 DTM sent
/// without an offset) can be written as a dateTime only cut to its day, and never as an instant.
/// </summary>
internal static partial class FhirDateTimes
{
    private const string Year = "([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)";
    private const string Month = "(0[1-9]|1[0-2])";
    private const string Day = "(0[1-9]|[1-2][0-9]|3[0-1])";
    private const string Time = "([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?";
    private const string Zone = "(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))";

    public static bool IsDate(string value) => DatePattern().IsMatch(value);

    public static bool IsDateTime(string value) => DateTimePattern().IsMatch(value);

    public static bool IsInstant(string value) => InstantPattern().IsMatch(value);

    /// <summary>True for a date and time of day that would be a valid dateTime or instant but for its missing zone.</summary>
    public static bool IsZoneless(string value) => ZonelessPattern().IsMatch(value);

    /// <summary>
    /// The value as a FHIR dateTime: itself when valid, its day when it is a zone-less date-time (a dateTime may
    /// stop at the day, but a time of day needs a zone), else null.
    /// </summary>
    public static string? ToDateTime(string? value, out bool cutToDay)
    {
        cutToDay = false;
        if (value is null) return null;
        if (IsDateTime(value)) return value;
        if (!IsZoneless(value)) return null;
        cutToDay = true;
        return value[..value.IndexOf('T', StringComparison.Ordinal)];
    }

    /// <summary>The value as a FHIR dateTime (a zone-less date-time cut to its day), or null; see <see cref="ToDateTime"/>.</summary>
    public static string? ValidDateTime(string? value) => ToDateTime(value, out _);

    public static string? ValidInstant(string? value) => value is not null && IsInstant(value) ? value : null;

    /// <summary>Why a zone-less date-time lost its time of day: no zone is invented.</summary>
    public const string ZonelessDateTime = "the time has no zone: a FHIR dateTime with a time of day needs one, so only the day was written";

    [GeneratedRegex("^" + Year + "-" + Month + "-" + Day + "T" + Time + "$", RegexOptions.CultureInvariant)]
    private static partial Regex ZonelessPattern();

    [GeneratedRegex("^" + Year + "(-" + Month + "(-" + Day + ")?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();

    [GeneratedRegex("^" + Year + "(-" + Month + "(-" + Day + "(T" + Time + Zone + ")?)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimePattern();

    [GeneratedRegex("^" + Year + "-" + Month + "-" + Day + "T" + Time + Zone + "$", RegexOptions.CultureInvariant)]
    private static partial Regex InstantPattern();
}
