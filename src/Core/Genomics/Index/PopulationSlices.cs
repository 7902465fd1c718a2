namespace PrecisionMed.Core.Genomics.Index;

/// <summary>
/// A report cut into the population partitions its findings fall in (<see cref="PopulationKey"/>): per gene (by symbol
/// and by HGNC id), per 1 Mb bin a variant touches, per medication and condition of an implication. Each slice keeps
/// the report's study data and only the findings under its key, with the implications and consequences that derive from
/// them, so a population question is answered from its partitions alone.
/// </summary>
public static class PopulationSlices
{
    public static IReadOnlyDictionary<PopulationKey, IndexedReport> Of(IndexedReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var variants = new Dictionary<PopulationKey, List<IndexedVariant>>();
        var haplotypes = new Dictionary<PopulationKey, List<IndexedHaplotype>>();
        var implications = new Dictionary<PopulationKey, List<IndexedImplication>>();
        foreach (var variant in report.Variants)
        {
            foreach (var key in GeneKeys(variant.Genes)) Add(variants, key, variant);
            if (variant.ChromosomeAccession is { } accession && (variant.OuterStart ?? variant.Start) is { } start)
            {
                var end = variant.OuterEnd ?? variant.End ?? start + 1;
                foreach (var key in PopulationKey.Bins(accession, start, Math.Max(end, start + 1))) Add(variants, key, variant);
            }
        }

        foreach (var haplotype in report.Haplotypes)
        {
            foreach (var key in GeneKeys(haplotype.Genes)) Add(haplotypes, key, haplotype);
        }

        foreach (var implication in report.Implications)
        {
            foreach (var medication in implication.Medications) Add(implications, PopulationKey.Medication(medication), implication);
            foreach (var condition in implication.Conditions) Add(implications, PopulationKey.Condition(condition), implication);
        }

        var keys = variants.Keys.Concat(haplotypes.Keys).Concat(implications.Keys).Distinct();
        var slices = new Dictionary<PopulationKey, IndexedReport>();
        foreach (var key in keys)
        {
            var keptVariants = variants.GetValueOrDefault(key) ?? [];
            var keptHaplotypes = haplotypes.GetValueOrDefault(key) ?? [];
            var findings = keptVariants.Select(v => v.Observation).Concat(keptHaplotypes.Select(h => h.Observation)).ToHashSet(StringComparer.Ordinal);
            var keptImplications = implications.GetValueOrDefault(key)
                ?? [.. report.Implications.Where(i => i.DerivedFrom.Any(findings.Contains))];
            foreach (var derived in keptImplications.SelectMany(i => i.DerivedFrom)) findings.Add(derived);
            slices[key] = report with
            {
                Variants = implications.ContainsKey(key) ? [.. report.Variants.Where(v => findings.Contains(v.Observation))] : keptVariants,
                Haplotypes = implications.ContainsKey(key) ? [.. report.Haplotypes.Where(h => findings.Contains(h.Observation))] : keptHaplotypes,
                Implications = keptImplications,
                MolecularConsequences = [.. report.MolecularConsequences.Where(c => c.DerivedFrom.Any(findings.Contains))],
                PhaseRelationships = [], // asked of a subject only
            };
        }

        return slices;
    }

    private static IEnumerable<PopulationKey> GeneKeys(IReadOnlyList<IndexedGene> genes)
    {
        foreach (var gene in genes)
        {
            if (!string.IsNullOrWhiteSpace(gene.Symbol)) yield return PopulationKey.Gene(gene.Symbol);
            if (!string.IsNullOrWhiteSpace(gene.HgncId)) yield return PopulationKey.Gene(gene.HgncId);
        }
    }

    private static void Add<T>(Dictionary<PopulationKey, List<T>> map, PopulationKey key, T item)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        if (!list.Contains(item)) list.Add(item);
    }
}
