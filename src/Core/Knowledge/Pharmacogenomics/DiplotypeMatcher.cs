namespace PrecisionMed.Core.Knowledge.Pharmacogenomics;

/// <summary>
/// Pairs haplotype matches into diplotypes as PharmCAT does: every pair of matches whose strand sequences together
/// give the sample's genotype at every position (homozygous positions equal, heterozygous ones different), scored by
/// how many positions their definitions constrain, best first, ties in haplotype-name order.
/// </summary>
internal static class DiplotypeMatcher
{
    public static List<DiplotypeMatch> Compute(SampleAlleles sample, List<HaplotypeMatch> matches, bool combinations, bool topCandidateOnly)
    {
        if (matches.Count == 0) return [];
        var pairs = sample.Permutations.Count == 1 ? Homozygous(sample, matches) : Heterozygous(sample, matches, combinations);
        if (!combinations)
        {
            foreach (var pair in pairs)
            {
                var best = 0;
                foreach (var sequences in pair.SequencePairs) best = Math.Max(best, Score(sample, pair, sequences));
                pair.Score = best;
            }
        }

        pairs.Sort();
        var sorted = new List<DiplotypeMatch>(pairs.Count);
        foreach (var pair in pairs)
        {
            if (sorted.Count == 0 || sorted[^1].CompareTo(pair) != 0) sorted.Add(pair);
        }

        if (topCandidateOnly && sorted.Count > 1)
        {
            var top = sorted[0].Score;
            sorted.RemoveAll(p => p.Score != top);
        }

        return sorted;
    }

    /// <summary>One strand sequence (homozygous everywhere or hemizygous): the one match twice (or once), or every pair of matches.</summary>
    private static List<DiplotypeMatch> Homozygous(SampleAlleles sample, List<HaplotypeMatch> matches)
    {
        var sorted = Distinct(matches);
        if (sorted.Count == 1)
        {
            var single = sample.Haploid ? new DiplotypeMatch(sorted[0], null) : new DiplotypeMatch(sorted[0], sorted[0]);
            single.SequencePairs.Add((0, sample.Haploid ? -1 : 0));
            return [single];
        }

        var pairs = new List<DiplotypeMatch>();
        for (var x = 0; x < sorted.Count; x++)
        {
            for (var y = x; y < sorted.Count; y++)
            {
                var pair = new DiplotypeMatch(sorted[x], sorted[y]);
                pair.SequencePairs.Add((0, 0));
                pairs.Add(pair);
            }
        }

        return pairs;
    }

    private static List<DiplotypeMatch> Heterozygous(SampleAlleles sample, List<HaplotypeMatch> matches, bool combinations)
    {
        var byName = new SortedDictionary<string, List<HaplotypeMatch>>(HaplotypeNameComparer.Instance);
        foreach (var match in Distinct(matches))
        {
            if (!byName.TryGetValue(match.Name, out var list)) byName[match.Name] = list = [];
            list.Add(match);
        }

        var names = byName.Keys.ToList();
        var pairs = new List<DiplotypeMatch>();
        for (var x = 0; x < names.Count; x++)
        {
            for (var y = x; y < names.Count; y++)
            {
                var firsts = byName[names[x]];
                var seconds = byName[names[y]];
                if (x == y)
                {
                    // A named allele found on one sequence only cannot be on both strands.
                    if (firsts.Count == 1 && firsts[0].Sequences.Count == 1) continue;
                    if (combinations && firsts.Count == 2 && firsts[0].IsCombination)
                    {
                        seconds = [firsts[0]];
                        firsts = [firsts[1]];
                    }
                }

                foreach (var first in firsts)
                {
                    foreach (var second in seconds)
                    {
                        DiplotypeMatch? pair = null;
                        foreach (var s1 in first.Sequences)
                        {
                            foreach (var s2 in second.Sequences)
                            {
                                if (!Complementary(sample, s1, s2)) continue;
                                pair ??= new DiplotypeMatch(first, second);
                                pair.SequencePairs.Add((s1, s2));
                            }
                        }

                        if (pair is not null) pairs.Add(pair);
                    }
                }
            }
        }

        return pairs;
    }

    /// <summary>Two strand sequences give the sample's genotype: the same allele where it is homozygous, different ones elsewhere.</summary>
    private static bool Complementary(SampleAlleles sample, int first, int second)
    {
        var a = sample.Permutations[first];
        var b = sample.Permutations[second];
        for (var k = 0; k < a.Length; k++)
        {
            if (string.Equals(a[k], b[k], StringComparison.Ordinal) != sample.Homozygous[k]) return false;
        }

        return true;
    }

    /// <summary>The score of a diplotype on one sequence pair: each haplotype scored on the sequences it was matched to there.</summary>
    private static int Score(SampleAlleles sample, DiplotypeMatch pair, (int First, int Second) sequences)
    {
        var first = pair.First;
        var second = pair.Second;
        if (second is null) return first.Haplotype.ScoreFor(sample, On(first, sequences.First, -1));
        if (first.Name == second.Name)
            return first.Haplotype.ScoreFor(sample, On(first, sequences.First, -1)) + second.Haplotype.ScoreFor(sample, On(second, sequences.Second, -1));
        return first.Haplotype.ScoreFor(sample, On(first, sequences.First, sequences.Second))
            + second.Haplotype.ScoreFor(sample, On(second, sequences.First, sequences.Second));
    }

    private static IReadOnlyList<int> On(HaplotypeMatch match, int a, int b) =>
        match.Sequences.Count == 1 ? match.Sequences : [.. match.Sequences.Where(s => s == a || s == b)];

    /// <summary>Sorted, equal matches once (PharmCAT keeps them in a sorted set).</summary>
    private static List<HaplotypeMatch> Distinct(List<HaplotypeMatch> matches)
    {
        var sorted = new List<HaplotypeMatch>(matches);
        sorted.Sort();
        var distinct = new List<HaplotypeMatch>(sorted.Count);
        foreach (var match in sorted)
        {
            if (distinct.Count == 0 || distinct[^1].CompareTo(match) != 0) distinct.Add(match);
        }

        return distinct;
    }
}
