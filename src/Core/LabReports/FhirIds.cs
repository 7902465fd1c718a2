namespace PrecisionMed.Core.LabReports;

/// <summary>
/// The shape of a FHIR id (R4 <c>id</c>: 1 to 64 ASCII letters, digits, '-' and '.'), the shape the app's ids and the
/// patient ids it is sent have. A value checked against it may be quoted back or put into a URL or query as it is.
/// </summary>
public static class FhirIds
{
    public const int MaxLength = 64;

    /// <summary>What a caller reads when a value is not an id.</summary>
    public const string Shape = "1 to 64 letters, digits, '-' or '.', not dots only";

    /// <summary>
    /// Whether <paramref name="value"/> is a FHIR id. Dots only (<c>.</c>, <c>..</c>) is refused though FHIR's pattern
    /// allows it: as a URL path segment it names the folder or its parent, never a resource.
    /// </summary>
    public static bool IsId(ReadOnlySpan<char> value)
    {
        if (value.Length is 0 or > MaxLength) return false;
        var dotsOnly = true;
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '.')) return false;
            dotsOnly &= c == '.';
        }

        return !dotsOnly;
    }
}
