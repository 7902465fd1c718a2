namespace PrecisionMed.Core.Knowledge.Enrichment;

/// <summary>
/// A recommendation a report reached: its guideline and drug, in the gene set's document (for its texts). A guideline
/// whose package keys no recommendation (CPIC's warfarin: a dosing algorithm; peginterferon) is reached as a whole,
/// with <see cref="Recommendation"/> null, so the result still points at it.
/// </summary>
internal sealed record GuidelineMatch(GuidelineSetDocument Set, GuidelineEntry Guideline, GuidelineDrug Drug, GuidelineRecommendation? Recommendation)
{
    /// <summary>The report's results for the genes this recommendation is keyed by (all of a multi-gene guideline's it has).</summary>
    public IReadOnlyList<PgxResult> Genes(IReadOnlyDictionary<string, PgxResult> results) =>
        [.. (Recommendation?.LookupKey.Select(k => k.Gene) ?? Set.Genes).Where(results.ContainsKey).Select(g => results[g])];

    public string? Text(int index) => index >= 0 && index < Set.Texts.Count ? Set.Texts[index] : null;
}

/// <summary>Finds, for a report's results, every guideline recommendation whose lookup key they fit.</summary>
internal static class GuidelineMatches
{
    /// <summary>
    /// Reads the index once, then each gene set naming one of the results' genes once (both cached), and keeps, per
    /// guideline, drug and population, the recommendations that fit best: DPWG keys some CYP2C9 and UGT1A1 results both
    /// by phenotype and by exact allele counts, and the allele counts are the more specific. CPIC's come first.
    /// </summary>
    /// <param name="include">Which gene sets to look at (a CDS call: only those naming the drugs ordered); all when null.</param>
    /// <param name="includeGuideline">Which guidelines of those sets to match (a CDS call: CPIC's for the drugs ordered); all when null.</param>
    public static async Task<List<GuidelineMatch>> FindAsync(
        KnowledgeLookup knowledge,
        IReadOnlyDictionary<string, PgxResult> results,
        CancellationToken cancellationToken,
        Func<GuidelineGeneSet, bool>? include = null,
        Func<GuidelineEntry, bool>? includeGuideline = null)
    {
        var matches = new List<GuidelineMatch>();
        if (await knowledge.FindGuidelineIndexAsync(cancellationToken) is not { } index) return matches;
        foreach (var geneSet in index.GeneSets.Where(s => s.Genes.Any(results.ContainsKey) && (include is null || include(s))))
        {
            if (await knowledge.FindGuidelinesAsync(geneSet.Genes, cancellationToken) is not { } set) continue;
            foreach (var guideline in set.Guidelines)
            {
                if (includeGuideline is not null && !includeGuideline(guideline)) continue;
                if (guideline.Recommendations.Count == 0)
                {
                    matches.AddRange(guideline.Drugs.Select(d => new GuidelineMatch(set, guideline, d, null)));
                    continue;
                }

                var fits = guideline.Recommendations
                    .Select(r => (Recommendation: r, Fit: GuidelineMatcher.Fit(r, results)))
                    .Where(f => f.Fit is not null)
                    .GroupBy(f => (f.Recommendation.DrugId, f.Recommendation.Population));
                foreach (var group in fits)
                {
                    var best = group.Max(f => f.Fit);
                    var drug = guideline.Drugs.FirstOrDefault(d => d.PharmGkbId == group.Key.DrugId) ?? new GuidelineDrug(group.Key.DrugId, group.Key.DrugId);
                    matches.AddRange(group.Where(f => f.Fit == best).Select(f => new GuidelineMatch(set, guideline, drug, f.Recommendation)));
                }
            }
        }

        return
        [
            .. matches
                .OrderBy(m => Import.PharmCatGuidelineReader.SourceRank(m.Guideline.Source))
                .ThenBy(m => m.Drug.Name, StringComparer.Ordinal)
                .ThenBy(m => m.Guideline.Name, StringComparer.Ordinal)
                .ThenBy(m => m.Recommendation?.Population, StringComparer.Ordinal)
                .ThenBy(m => m.Recommendation?.Id, StringComparer.Ordinal),
        ];
    }
}
