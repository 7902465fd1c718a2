using System.Text.Json.Nodes;
using PrecisionMed.Core.Fhir;

namespace PrecisionMed.Core.Pipeline.Review;

/// <summary>
/// Compares a report's Patient with the EMR's Patient of the same identifier: which of family name, birth date and
/// administrative sex disagree. A detail missing on either side (or a sex of <c>unknown</c>) is not a disagreement:
/// only two facts that cannot both be true hold a report.
/// </summary>
public static class PatientDemographics
{
    /// <summary>The FHIR element names that disagree, in a fixed order (never their values).</summary>
    public static IReadOnlyList<string> Disagreements(JsonObject reported, JsonObject existing) =>
        Disagreements(ReportPatient.Of(reported), existing);

    /// <summary>The FHIR element names that disagree, in a fixed order (never their values).</summary>
    public static IReadOnlyList<string> Disagreements(ReportPatient reported, JsonObject existing)
    {
        ArgumentNullException.ThrowIfNull(reported);
        var theirs = ReportPatient.Of(existing);
        var fields = new List<string>(3);
        if (FamilyNamesDisagree(reported.FamilyNames, theirs.FamilyNames)) fields.Add(FamilyName);
        if (BirthDatesDisagree(reported.BirthDate, theirs.BirthDate)) fields.Add(BirthDate);
        if (SexesDisagree(reported.Gender, theirs.Gender)) fields.Add(Sex);
        return fields;
    }

    public const string FamilyName = "name.family";
    public const string BirthDate = "birthDate";
    public const string Sex = "gender";

    /// <summary>
    /// The report's family name must be one of the EMR's (a Patient may keep an old or maiden name beside the
    /// current one), compared trimmed and case-insensitively.
    /// </summary>
    private static bool FamilyNamesDisagree(IReadOnlyList<string> ours, IReadOnlyList<string> theirs) =>
        ours.Count > 0 && theirs.Count > 0 && !ours.Any(name => theirs.Contains(name, StringComparer.OrdinalIgnoreCase));

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
}
