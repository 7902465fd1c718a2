using System.Collections.Frozen;

namespace PrecisionMed.Core.Genomics.Index;

/// <summary>
/// Which of a report's resources its index entries are read from (<see cref="IndexedReportReader"/>), told from the
/// resource's type and declared profile without parsing it: the reports, specimens and study analysis, and the
/// Observations that are findings. Given only these, the reader gives the same entries as given every resource: a
/// general-lab unit's results and a genomic unit's recommendation Tasks are never parsed for the index.
/// </summary>
public static class IndexedResources
{
    /// <summary>The IG profiles of the Observations an entry lists (the reader's variants, genotypes, haplotypes, implications, consequences and phase relationships).</summary>
    private static readonly FrozenSet<string> FindingProfiles = new[]
    {
        "variant", "genotype", "haplotype", "therapeutic-implication", "diagnostic-implication", "molecular-consequence", "sequence-phase-relationship",
    }.Select(name => FhirElements.ProfileBase + name).ToFrozenSet(StringComparer.Ordinal);

    private static readonly string StudyAnalysisProfile = FhirElements.ProfileBase + "genomic-study-analysis";

    /// <summary>
    /// Whether a set of resources, by their declared profiles, can hold a genomic report (<see cref="IndexedReportReader"/>
    /// gives entries only for reports with a Genomics Reporting IG resource): when none declares one, nothing is parsed.
    /// </summary>
    public static bool MayHoldGenomicReport(IEnumerable<string?> profiles)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        foreach (var profile in profiles)
        {
            if (profile is not null && profile.StartsWith(FhirElements.ProfileBase, StringComparison.Ordinal)) return true;
        }

        return false;
    }

    /// <summary>
    /// Whether the entries read a resource of <paramref name="type"/> declaring <paramref name="profile"/> (its only
    /// profile, or null), whose JSON is <paramref name="json"/>, in a set with <paramref name="reports"/> DiagnosticReports.
    /// </summary>
    /// <remarks>
    /// Any other Observation matters to the reader in two cases only, both kept: with several reports, each report's
    /// findings are those its results reach (through any Observation's <c>hasMember</c>); and an Observation's genome
    /// assembly component (LOINC 62374-4) names the build when the report has no study analysis.
    /// </remarks>
    public static bool Reads(string type, string? profile, ReadOnlySpan<byte> json, int reports) =>
        type is "DiagnosticReport" or "Specimen"
        || profile == StudyAnalysisProfile
        || type == "Observation" && (reports > 1 || profile is not null && FindingProfiles.Contains(profile) || json.IndexOf("\"62374-4\""u8) >= 0);
}
