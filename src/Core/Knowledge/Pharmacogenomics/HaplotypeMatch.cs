namespace PrecisionMed.Core.Knowledge.Pharmacogenomics;

/// <summary>A haplotype and the strand sequences (indices into the sample's permutations) it was found on.</summary>
internal sealed class HaplotypeMatch(Haplotype haplotype, bool combination) : IComparable<HaplotypeMatch>
{
    private readonly List<int> _sequences = [];
    private SampleAlleles? _sample;

    public Haplotype Haplotype { get; } = haplotype;

    public string Name => Haplotype.Name;

    /// <summary>Built by the combination matcher (its ties are not broken on score).</summary>
    public bool IsCombination { get; } = combination;

    public IReadOnlyList<int> Sequences => _sequences;

    /// <summary>The matches of each haplotype over every strand sequence of the sample; a haplotype found on none is left out.</summary>
    public static List<HaplotypeMatch> Find(SampleAlleles sample, IEnumerable<Haplotype> haplotypes)
    {
        var found = new List<HaplotypeMatch>();
        foreach (var haplotype in haplotypes)
        {
            HaplotypeMatch? match = null;
            for (var s = 0; s < sample.Permutations.Count; s++)
            {
                if (!haplotype.Matches(sample.Permutations[s], sample.Differences[s])) continue;
                match ??= new HaplotypeMatch(haplotype, false);
                match.Add(sample, s);
            }

            if (match is not null) found.Add(match);
        }

        found.Sort();
        return found;
    }

    public void Add(SampleAlleles sample, int sequence)
    {
        _sample = sample;
        if (_sequences.Contains(sequence)) return;
        _sequences.Add(sequence);
        if (_sequences.Count > 1) _sequences.Sort((a, b) => string.CompareOrdinal(sample.Key(a), sample.Key(b)));
    }

    /// <summary>PharmCAT's order: by name, then (named alleles) by score, then by the sequences they were found on.</summary>
    public int CompareTo(HaplotypeMatch? other)
    {
        if (other is null) return 1;
        if (ReferenceEquals(this, other)) return 0;
        var rez = HaplotypeNameComparer.Instance.Compare(Name, other.Name);
        if (rez != 0) return rez;
        if (!IsCombination && !other.IsCombination)
        {
            rez = Haplotype.Score.CompareTo(other.Haplotype.Score);
            if (rez != 0) return rez;
        }

        rez = _sequences.Count.CompareTo(other._sequences.Count);
        if (rez != 0) return rez;
        for (var i = 0; i < _sequences.Count; i++)
        {
            rez = string.CompareOrdinal(_sample!.Key(_sequences[i]), other._sample!.Key(other._sequences[i]));
            if (rez != 0) return rez;
        }

        return 0;
    }

    public override string ToString() => Name;
}
