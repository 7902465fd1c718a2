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

    /// <summary>
    /// DPYD's HapB3 (intronic c.1129-5923C&gt;G with exonic c.1236G&gt;A, and the intronic variant alone), which
    /// PharmCAT calls by a matcher of its own (from the exonic variant when the intronic one is missing) and merges
    /// into the result. That merge is not done here: with HapB3 variants present, HapB3 is matched as any allele in the
    /// phased steps, and the unphased step's combinations and haplotype list leave it out (PharmCAT adds its own HapB3
    /// haplotypes there; this caller does not yet).
    /// </summary>
    private static readonly string[] HapB3Names = ["c.1129-5923C>G, c.1236G>A (HapB3)", "c.1129-5923C>G"];

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

        // PharmCAT matches DPYD's HapB3 apart from the other alleles at this step (see HapB3Names).
        var withoutHapB3 = string.Equals(sample.Index.Gene, "DPYD", StringComparison.OrdinalIgnoreCase)
            ? Haplotype.Marshal(sample, assumeReference: false, a => HapB3Names.Contains(a.Name))
            : comboHaplotypes;
        var combinations = DiplotypeMatcher.Compute(sample, CombinationMatcher.Find(sample, withoutHapB3, partials: false), combinations: true, topCandidateOnly: false);
        if (combinations.Count > 0 && (sample.EffectivelyPhased || sample.UsingPhaseSets)) return outcome.Diplotypes(combinations);
        return outcome.Haplotypes(Haplotypes(sample, withoutHapB3, combinations));
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
