namespace PrecisionMed.Core.Knowledge.Pharmacogenomics;

/// <summary>
/// DPYD and RYR1, whose phenotype is read from the lowest-function allele present: a diplotype is called only when the
/// genotypes are effectively phased (or phase sets make combinations decidable); otherwise the call is the list of
/// haplotypes found on either strand (twice when on both), and the lowest-function rule downstream reads those. No
/// phasing is guessed.
/// </summary>
internal static class LowestFunction
{
    private const string ReferenceName = "Reference";

    public static GeneCallResult Call(SampleAlleles sample, Outcome outcome)
    {
        if (sample.EffectivelyPhased)
        {
            var exact = DiplotypeMatcher.Compute(sample, HaplotypeMatch.Find(sample, Haplotype.Marshal(sample, assumeReference: true)), combinations: false, topCandidateOnly: false);
            if (exact.Count > 0) return outcome.Diplotypes(exact);
        }

        var comboHaplotypes = Haplotype.Marshal(sample, assumeReference: false);
        if (sample.EffectivelyPhased || sample.UsingPhaseSets)
        {
            var withPartials = DiplotypeMatcher.Compute(sample, CombinationMatcher.Find(sample, comboHaplotypes, partials: true), combinations: true, topCandidateOnly: false);
            if (withPartials.Count > 0) return outcome.Diplotypes(withPartials);
        }

        var combinations = DiplotypeMatcher.Compute(sample, CombinationMatcher.Find(sample, comboHaplotypes, partials: false), combinations: true, topCandidateOnly: false);
        if (combinations.Count > 0 && (sample.EffectivelyPhased || sample.UsingPhaseSets)) return outcome.Diplotypes(combinations);
        return outcome.Haplotypes(Haplotypes(sample, comboHaplotypes, combinations));
    }

    /// <summary>
    /// Every named allele found on some strand sequence (Reference dropped when more than two are found: a
    /// non-reference explanation is preferred), an allele listed twice when some fitting combination has it on both strands.
    /// </summary>
    private static List<string> Haplotypes(SampleAlleles sample, List<Haplotype> haplotypes, List<DiplotypeMatch> combinations)
    {
        var onBoth = new HashSet<string>(StringComparer.Ordinal);
        foreach (var diplotype in combinations)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            Count(diplotype.First, counts);
            if (diplotype.Second is { } second) Count(second, counts);
            foreach (var (name, count) in counts)
            {
                if (count > 1) onBoth.Add(name);
            }
        }

        var matches = HaplotypeMatch.Find(sample, haplotypes);
        if (matches.Count > 2) matches.RemoveAll(m => m.Name == ReferenceName);
        var names = new List<string>();
        foreach (var match in matches)
        {
            names.Add(match.Name);
            if (onBoth.Remove(match.Name)) names.Add(match.Name);
        }

        return names;
    }

    private static void Count(HaplotypeMatch match, Dictionary<string, int> counts)
    {
        var partial = match.Haplotype.NumPartials > 0;
        IEnumerable<string> names = match.Haplotype.Components.Count > 0 ? match.Haplotype.Components.Select(c => c.Name) : [match.Name];
        foreach (var name in names)
        {
            if (partial && name == ReferenceName) continue;
            counts[name] = counts.GetValueOrDefault(name) + 1;
        }
    }
}
