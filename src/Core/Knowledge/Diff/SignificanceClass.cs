namespace PrecisionMed.Core.Knowledge.Diff;

/// <summary>
/// Where a classification sits on ClinVar's five-tier scale (ACMG/AMP), the axis the impact matrix is written on.
/// <see cref="Absent"/> is "no classification": before a variant was added, after it was removed.
/// </summary>
public enum SignificanceClass
{
    Absent,
    Pathogenic,
    LikelyPathogenic,
    Uncertain,
    Conflicting,
    LikelyBenign,
    Benign,

    /// <summary>drug response, risk factor, association, protective, not provided, ...: off the five-tier scale.</summary>
    Other,
}

public static class SignificanceClasses
{
    /// <summary>
    /// The class of a significance as ClinVar writes it. A compound takes its lower certainty
    /// (<c>Pathogenic/Likely pathogenic</c> is likely pathogenic, <c>Benign/Likely benign</c> likely benign); an
    /// added qualifier (<c>Pathogenic, risk factor</c>, <c>Pathogenic; low penetrance</c>) does not change the class.
    /// </summary>
    public static SignificanceClass Of(string? significance)
    {
        if (string.IsNullOrWhiteSpace(significance)) return SignificanceClass.Absent;
        var first = significance.Split([',', ';'], 2)[0].Trim().ToLowerInvariant();
        return first switch
        {
            "pathogenic" => SignificanceClass.Pathogenic,
            "likely pathogenic" or "pathogenic/likely pathogenic" or "likely pathogenic, low penetrance" => SignificanceClass.LikelyPathogenic,
            "uncertain significance" or "uncertain risk allele" => SignificanceClass.Uncertain,
            _ when first.StartsWith("conflicting", StringComparison.Ordinal) => SignificanceClass.Conflicting,
            "likely benign" or "benign/likely benign" => SignificanceClass.LikelyBenign,
            "benign" => SignificanceClass.Benign,
            _ => SignificanceClass.Other,
        };
    }

    public static bool IsPathogenicSide(SignificanceClass value) => value is SignificanceClass.Pathogenic or SignificanceClass.LikelyPathogenic;

    public static bool IsBenignSide(SignificanceClass value) => value is SignificanceClass.Benign or SignificanceClass.LikelyBenign;
}
