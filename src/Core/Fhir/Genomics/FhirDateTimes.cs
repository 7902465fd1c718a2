using System.Text.RegularExpressions;

namespace PrecisionMed.Core.Fhir.Genomics;

/// <summary>
/// The FHIR R4 regular expressions for date, dateTime and instant: a value that does not match is
/// reported as skipped rather than written into a resource the server would reject.
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

    [GeneratedRegex("^" + Year + "(-" + Month + "(-" + Day + ")?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();

    [GeneratedRegex("^" + Year + "(-" + Month + "(-" + Day + "(T" + Time + Zone + ")?)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimePattern();

    [GeneratedRegex("^" + Year + "-" + Month + "-" + Day + "T" + Time + Zone + "$", RegexOptions.CultureInvariant)]
    private static partial Regex InstantPattern();
}
