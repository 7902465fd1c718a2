using System.Text.Json.Serialization;

namespace PrecisionMed.Core.Knowledge.Diff;

/// <summary>What an import did to one classification or recommendation.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ChangeKind>))]
public enum ChangeKind
{
    Added,
    Changed,
    Removed,
}

/// <summary>
/// One change an import brings, with the old and the new value and their dates, and its clinical impact from the
/// <see cref="ImpactMatrix"/>. A classification's <see cref="Key"/> is ClinVar's VariationID; a recommendation's is
/// <c>guideline|drug|lookup key</c>.
/// </summary>
/// <param name="Subject"><c>classification</c> or <c>recommendation</c>.</param>
/// <param name="Locations">Where a report may carry it: <c>build:chrom:pos:ref:alt</c> of a classification.</param>
/// <param name="Hgvs">A classification's HGVS lookup keys (for reports with no coordinates).</param>
/// <param name="Lookup">A recommendation's lookup key (per gene the phenotype or activity score, <c>CYP2C19:Poor Metabolizer</c>).</param>
/// <param name="Drug">A recommendation's drug.</param>
/// <param name="DrugId">A recommendation's drug as PharmGKB names it (<c>PA449053</c>): what our implications code it with.</param>
/// <param name="OldPrescribing">A recommendation's prescribing flags before (what its MedicationRecommendation Task says).</param>
/// <param name="NewPrescribing">Its prescribing flags after.</param>
public sealed record KnowledgeChange(
    string Subject,
    string Key,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ChangeKind>))] ChangeKind Kind,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ClinicalImpact>))] ClinicalImpact Impact,
    string? OldValue,
    string? OldReviewStatus,
    string? OldDate,
    string? NewValue,
    string? NewReviewStatus,
    string? NewDate,
    IReadOnlyList<string> Genes,
    IReadOnlyList<string> Locations,
    IReadOnlyList<string> Hgvs,
    string? Drug = null,
    IReadOnlyList<string>? Lookup = null,
    string? DrugId = null,
    PrescribingChange? OldPrescribing = null,
    PrescribingChange? NewPrescribing = null)
{
    public const string Classification = "classification";
    public const string Recommendation = "recommendation";
}

/// <summary>Changes counted by impact.</summary>
public sealed record ImpactCounts(long Major, long Warning, long Minor, long None)
{
    public static ImpactCounts Of(IEnumerable<KnowledgeChange> changes)
    {
        long major = 0, warning = 0, minor = 0, none = 0;
        foreach (var change in changes)
        {
            switch (change.Impact)
            {
                case ClinicalImpact.Major: major++; break;
                case ClinicalImpact.Warning: warning++; break;
                case ClinicalImpact.Minor: minor++; break;
                default: none++; break;
            }
        }

        return new ImpactCounts(major, warning, minor, none);
    }

    public long Total => Major + Warning + Minor + None;
}
