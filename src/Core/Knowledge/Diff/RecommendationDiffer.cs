namespace PrecisionMed.Core.Knowledge.Diff;

/// <summary>
/// The changes between two versions of a gene set's guideline recommendations (CPIC and DPWG via PharmCAT): per
/// recommendation, keyed by guideline, drug, population and lookup key, its text, strength and prescribing flags.
/// </summary>
public static class RecommendationDiffer
{
    public static IEnumerable<KnowledgeChange> Compare(GuidelineSetDocument? before, GuidelineSetDocument? after, ImpactMatrix matrix)
    {
        var old = Flatten(before);
        foreach (var (key, now) in Flatten(after))
        {
            if (!old.Remove(key, out var previous)) yield return Change(ChangeKind.Added, key, null, now, matrix.Of(ImpactMatrix.RecommendationAdded));
            else if (previous.Text != now.Text || previous.Strength != now.Strength || previous.Flags != now.Flags)
                yield return Change(ChangeKind.Changed, key, previous, now, matrix.Of(previous.Flags != now.Flags ? ImpactMatrix.RecommendationPrescribingChanged : ImpactMatrix.RecommendationChanged));
        }

        foreach (var (key, removed) in old.OrderBy(p => p.Key, StringComparer.Ordinal)) yield return Change(ChangeKind.Removed, key, removed, null, matrix.Of(ImpactMatrix.RecommendationRemoved));
    }

    private static KnowledgeChange Change(ChangeKind kind, string key, Flat? before, Flat? after, ClinicalImpact impact)
    {
        var subject = after ?? before!;
        return new KnowledgeChange(
            KnowledgeChange.Recommendation,
            key,
            kind,
            impact,
            before?.Text,
            before?.Strength,
            before?.Version,
            after?.Text,
            after?.Strength,
            after?.Version,
            subject.Genes,
            [],
            [],
            subject.Drug,
            subject.Lookup,
            subject.DrugId,
            before?.Flags,
            after?.Flags);
    }

    private static Dictionary<string, Flat> Flatten(GuidelineSetDocument? document)
    {
        var flat = new Dictionary<string, Flat>(StringComparer.Ordinal);
        if (document is null) return flat;
        foreach (var guideline in document.Guidelines)
        {
            var drugs = guideline.Drugs.ToDictionary(d => d.PharmGkbId, d => d.Name, StringComparer.Ordinal);
            foreach (var recommendation in guideline.Recommendations)
            {
                var drug = drugs.GetValueOrDefault(recommendation.DrugId, recommendation.DrugId);
                var lookup = recommendation.LookupKey.Select(k => $"{k.Gene}:{k.Value}").Order(StringComparer.Ordinal).ToList();
                var key = $"{guideline.Source}|{guideline.Id}|{drug}|{recommendation.Population ?? "-"}|{string.Join(';', lookup)}";
                var text = recommendation.Text >= 0 && recommendation.Text < document.Texts.Count ? document.Texts[recommendation.Text] : string.Empty;
                flat[key] = new Flat(text, recommendation.Classification, recommendation.ChangesPrescribing, guideline.Version, [.. document.Genes], drug, lookup, recommendation.DrugId);
            }
        }

        return flat;
    }

    private sealed record Flat(string Text, string? Strength, PrescribingChange Flags, string? Version, IReadOnlyList<string> Genes, string Drug, IReadOnlyList<string> Lookup, string DrugId);
}
