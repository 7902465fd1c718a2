using System.Text.RegularExpressions;

namespace PrecisionMed.Core.Knowledge.Enrichment;

/// <summary>
/// Whether a recommendation's lookup key fits a report's results, gene by gene, as CPIC keys them: a scored gene by
/// its activity score (CYP2C9 <c>1.0</c>, CYP2D6 <c>≥3.0</c>, DPWG's DPYD <c>1.0 (Intermediate Metabolizer)</c>), any
/// other by its phenotype (DPWG keys CYP2C9 by phenotype too), DPWG's allele counts by the diplotype itself, an HLA
/// gene as positive or negative for the allele the guideline names, and a gene the report has no result for as
/// <c>No Result</c>. Every gene of the guideline must fit, so a multi-gene guideline is matched on all its genes at once.
/// </summary>
internal static partial class GuidelineMatcher
{
    /// <summary>How closely the recommendation fits: null when it does not; higher when a gene fits by its exact diplotype.</summary>
    public static int? Fit(GuidelineRecommendation recommendation, IReadOnlyDictionary<string, PgxResult> results)
    {
        var fit = 0;
        var any = false;
        foreach (var key in recommendation.LookupKey)
        {
            if (!results.TryGetValue(key.Gene, out var result))
            {
                if (!key.Value.Equals(GuidelineLookupKey.NoResult, StringComparison.OrdinalIgnoreCase)) return null;
                continue;
            }

            any = true;
            if (GeneFit(key.Value, result) is not { } gene) return null;
            fit += gene;
        }

        return any ? fit : null;
    }

    /// <summary>2 for the exact diplotype (DPWG's allele counts), 1 for a phenotype, score or HLA result, null for no fit.</summary>
    internal static int? GeneFit(string value, PgxResult result)
    {
        if (result.HlaAlleles is { } alleles) return HlaFit(value, alleles) ? 1 : null;
        if (result.Phenotype is not { } phenotype) return null;
        if (value.Equals(result.Shown, StringComparison.Ordinal) || value.Equals(phenotype.Diplotype, StringComparison.Ordinal)) return 2;
        var wanted = Normalise(value);
        foreach (var key in KeysOf(result))
        {
            if (key.Equals(wanted, StringComparison.OrdinalIgnoreCase)) return 1;
        }

        return null;
    }

    /// <summary>
    /// The result's phenotype as lookup keys may spell it (its lookup key, phenotype, score, and score with phenotype),
    /// normalised once per result: a guideline's every recommendation is tried against the same results.
    /// </summary>
    private static string[] KeysOf(PgxResult result) => ResultKeys.GetValue(result, MakeKeysCallback);

    private static string[] MakeKeys(PgxResult result)
    {
        var phenotype = result.Phenotype!;
        var score = KnowledgeIds.NormaliseActivityScore(phenotype.ActivityScore);
        string?[] keys = [phenotype.LookupKey, phenotype.Phenotype, score, score is null ? null : $"{score} ({phenotype.Phenotype})"];
        return [.. keys.OfType<string>().Select(Normalise)];
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<PgxResult, string[]> ResultKeys = [];

    // One delegate for every lookup (a method group converted at each call would allocate one per call).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<PgxResult, string[]>.CreateValueCallback MakeKeysCallback = MakeKeys;

    /// <summary><c>*57:01 positive</c>, <c>*15:02 negative</c>, and DPWG's <c>1511 and 1502</c> (positive for both).</summary>
    private static bool HlaFit(string value, IReadOnlyList<IReadOnlyList<string>> alleles)
    {
        if (HlaResult().Match(value) is { Success: true } single)
            return HlaAlleles.Carries(alleles, single.Groups[1].Value) == single.Groups[2].Value.Equals("positive", StringComparison.OrdinalIgnoreCase);
        if (HlaBoth().Match(value) is { Success: true } both)
        {
            return HlaAlleles.Carries(alleles, $"{both.Groups[1].Value}:{both.Groups[2].Value}") == true
                && HlaAlleles.Carries(alleles, $"{both.Groups[3].Value}:{both.Groups[4].Value}") == true;
        }

        return false;
    }

    /// <summary>A score in one spelling (<c>1</c> and <c>1.0</c> alike; <c>≥3.0</c> kept); other text trimmed.</summary>
    private static string Normalise(string key)
    {
        var open = key.IndexOf(" (", StringComparison.Ordinal);
        return open > 0 && KnowledgeIds.NormaliseActivityScore(key[..open]) is { } score
            ? score + key[open..]
            : KnowledgeIds.NormaliseActivityScore(key) ?? key.Trim();
    }

    [GeneratedRegex(@"^\*?(\d{2,3}:\d{2,3})\s+(positive|negative)$", RegexOptions.IgnoreCase)]
    private static partial Regex HlaResult();

    [GeneratedRegex(@"^(\d{2})(\d{2}) and (\d{2})(\d{2})$")]
    private static partial Regex HlaBoth();
}
