using System.Text.Json.Nodes;

namespace PrecisionMed.Core.Pipeline.Review;

/// <summary>
/// Compares a report's Patient with the EMR's Patient of the same identifier: which of family name, birth date and
/// administrative sex disagree. A detail missing on either side (or a sex of <c>unknown</c>) is not a disagreement:
/// only two facts that cannot both be true hold a report.
/// </summary>
public static class PatientDemographics
{
    /// <summary>The FHIR element names that disagree, in a fixed order (never their values).</summary>
    public static IReadOnlyList<string> Disagreements(JsonObject reported, JsonObject existing)
    {
        var fields = new List<string>(3);
        if (FamilyNamesDisagree(reported, existing)) fields.Add(FamilyName);
        if (BirthDatesDisagree(Text(reported["birthDate"]), Text(existing["birthDate"]))) fields.Add(BirthDate);
        if (SexesDisagree(Text(reported["gender"]), Text(existing["gender"]))) fields.Add(Sex);
        return fields;
    }

    public const string FamilyName = "name.family";
    public const string BirthDate = "birthDate";
    public const string Sex = "gender";

    /// <summary>
    /// The report's family name must be one of the EMR's (a Patient may keep an old or maiden name beside the
    /// current one), compared trimmed and case-insensitively.
    /// </summary>
    private static bool FamilyNamesDisagree(JsonObject reported, JsonObject existing)
    {
        var ours = FamilyNames(reported);
        var theirs = FamilyNames(existing);
        return ours.Count > 0 && theirs.Count > 0 && !ours.Overlaps(theirs);
    }

    private static HashSet<string> FamilyNames(JsonObject patient)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in patient["name"] as JsonArray ?? [])
        {
            if (Text(name?["family"]) is { } family) names.Add(family);
        }

        return names;
    }

    /// <summary>
    /// FHIR dates are <c>YYYY</c>, <c>YYYY-MM</c> or <c>YYYY-MM-DD</c>: compared to the precision both have, so a
    /// year-only birth date agrees with any full date in that year.
    /// </summary>
    internal static bool BirthDatesDisagree(string? reported, string? existing)
    {
        if (reported is null || existing is null) return false;
        var precision = Math.Min(Math.Min(reported.Length, existing.Length), 10);
        return !reported.AsSpan(0, precision).Equals(existing.AsSpan(0, precision), StringComparison.Ordinal);
    }

    private static bool SexesDisagree(string? reported, string? existing) =>
        reported is not null && existing is not null
        && !reported.Equals("unknown", StringComparison.OrdinalIgnoreCase) && !existing.Equals("unknown", StringComparison.OrdinalIgnoreCase)
        && !reported.Equals(existing, StringComparison.OrdinalIgnoreCase);

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
}
