namespace PrecisionMed.Core.Knowledge.Pharmacogenomics;

/// <summary>
/// PharmCAT's combination matcher: on each strand sequence, the non-reference alleles whose defining positions all
/// carry their alleles, grouped into combinations that do not overlap (<c>[*2 + *6]</c>), and, when asked, every
/// remaining change no allele explains named by its HGVS (a partial allele, <c>g.97515839T&gt;C</c>).
/// </summary>
internal static class CombinationMatcher
{
    /// <summary>UGT1A1's defined combinations (<c>*80+*28</c>) are found as combinations of their parts instead.</summary>
    public static Func<NamedAlleleDefinition, bool>? Ignorable(GeneDefinitionIndex index) =>
        string.Equals(index.Gene, "UGT1A1", StringComparison.OrdinalIgnoreCase) ? a => a.Name.Contains('+', StringComparison.Ordinal) : null;

    public static List<HaplotypeMatch> Find(SampleAlleles sample, List<Haplotype> haplotypes, bool partials)
    {
        var reference = haplotypes.FirstOrDefault(h => h.IsReference);
        var found = new List<HaplotypeMatch>();
        for (var s = 0; s < sample.Permutations.Count; s++)
        {
            var sequence = sample.Permutations[s];
            var covered = haplotypes.Where(h => !h.IsReference && h.Carries(sequence)).ToList();
            if (covered.Count <= 1)
            {
                var haplotype = covered.Count == 0 ? reference : covered[0];
                if (haplotype is null) continue;
                var names = partials ? PartialNames(sample, sequence, covered) : [];
                if (names.Count == 0)
                {
                    var simple = new HaplotypeMatch(haplotype, false);
                    simple.Add(sample, s);
                    found.Add(simple);
                }
                else
                {
                    found.Add(Combined(sample, s, [haplotype], names));
                }

                continue;
            }

            foreach (var combination in Viable(covered))
                found.Add(Combined(sample, s, combination, partials ? PartialNames(sample, sequence, combination) : []));
        }

        found.Sort();
        return found;
    }

    private static HaplotypeMatch Combined(SampleAlleles sample, int sequence, List<Haplotype> components, List<string> partialNames)
    {
        var parts = new List<string>();
        var count = 0;
        foreach (var component in components.Where(c => !c.IsReference))
        {
            if (component.Components.Count > 1 || Combination.IsName(component.Name))
            {
                parts.Add(Combination.IsName(component.Name) ? component.Name[1..^1] : component.Name);
                count += 2;
            }
            else
            {
                parts.Add(component.Name);
                count++;
            }
        }

        parts.AddRange(partialNames);
        count += partialNames.Count;
        var name = string.Join(Combination.Joiner, parts);
        if (count > 1) name = $"[{name}]";
        var match = new HaplotypeMatch(Haplotype.Combined(name, components, sample.Present.Length, partialNames.Count), true);
        match.Add(sample, sequence);
        return match;
    }

    /// <summary>
    /// Groups of non-overlapping alleles, most defining positions first: an allele joins every group it does not
    /// overlap, and starts its own only when it overlaps none of a different size (a same-size overlap is taken for a
    /// missing position, not a conflict).
    /// </summary>
    private static List<List<Haplotype>> Viable(List<Haplotype> covered)
    {
        var sorted = covered.OrderByDescending(h => Core(h).Count).ThenBy(h => h.Name, StringComparer.Ordinal).ToList();
        var combinations = new List<List<Haplotype>>();
        foreach (var allele in sorted)
        {
            var added = false;
            var overlapCount = 0;
            var core = Core(allele);
            foreach (var combination in combinations)
            {
                var overlaps = false;
                foreach (var existing in combination)
                {
                    var existingCore = Core(existing);
                    if (!existingCore.Overlaps(core)) continue;
                    overlaps = true;
                    if (existingCore.Count != core.Count)
                    {
                        overlapCount++;
                        break;
                    }
                }

                if (!overlaps)
                {
                    combination.Add(allele);
                    added = true;
                }
            }

            if (!added && overlapCount == 0) combinations.Add([allele]);
        }

        // Each combination lists its alleles in the definitions' order (the order of the haplotypes given).
        foreach (var combination in combinations) combination.Sort((a, b) => covered.IndexOf(a).CompareTo(covered.IndexOf(b)));
        return combinations;
    }

    private static HashSet<int> Core(Haplotype haplotype)
    {
        var core = new HashSet<int>();
        for (var k = 0; k < haplotype.Bases.Length; k++)
        {
            if (haplotype.Bases[k] is not null) core.Add(k);
        }

        return core;
    }

    /// <summary>The HGVS name of every change from the reference on the sequence that none of the alleles accounts for.</summary>
    private static List<string> PartialNames(SampleAlleles sample, string?[] sequence, IReadOnlyList<Haplotype> alleles)
    {
        var names = new List<string>();
        var index = sample.Index;
        for (var k = 0; k < sequence.Length; k++)
        {
            var i = sample.Present[k];
            if (string.Equals(sequence[k], index.Refs[i], StringComparison.Ordinal)) continue;
            if (alleles.Any(a => a.Bases[k] is not null)) continue;
            names.Add(Hgvs(index.Definitions.Positions[i], sequence[k]));
        }

        return names;
    }

    private static string Hgvs(AlleleDefinitionPosition position, string? allele)
    {
        if (allele is null or SampleGenotype.MissingAllele) return $"g.{position.Position}?";
        if (string.Equals(allele, position.Ref, StringComparison.OrdinalIgnoreCase)) return $"g.{position.Position}=";
        for (var x = 0; x < position.Alts.Count; x++)
        {
            if (string.Equals(allele, position.Alts[x], StringComparison.OrdinalIgnoreCase) && position.HgvsNames is { } names && x < names.Count) return names[x];
        }

        return $"g.{position.Position}{position.Ref}>{allele}";
    }
}
