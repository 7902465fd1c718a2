namespace PrecisionMed.Core.Knowledge.Diff;

/// <summary>How much a knowledge change matters to a patient who has the variant or genotype, in increasing order.</summary>
public enum ClinicalImpact
{
    /// <summary>Recorded only: a new classification, a review status that moved, a benign-side move within a class.</summary>
    None,

    /// <summary>A move within a side (likely pathogenic ↔ pathogenic, likely benign ↔ benign, uncertain ↔ a benign class).</summary>
    Minor,

    /// <summary>The classification a report relied on is gone (removed from the source).</summary>
    Warning,

    /// <summary>Across sides (uncertain → pathogenic, pathogenic → benign, benign → pathogenic), or a prescribing change.</summary>
    Major,
}
