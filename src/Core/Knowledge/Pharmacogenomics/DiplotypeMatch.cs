namespace PrecisionMed.Core.Knowledge.Pharmacogenomics;

/// <summary>Two haplotype matches (one when hemizygous) that together explain the sample, with the strand sequence pairs that do.</summary>
internal sealed class DiplotypeMatch : IComparable<DiplotypeMatch>
{
    public DiplotypeMatch(HaplotypeMatch first, HaplotypeMatch? second)
    {
        if (second is not null && first.CompareTo(second) > 0) (first, second) = (second, first);
        First = first;
        Second = second;
        Name = second is null ? first.Name : $"{first.Name}/{second.Name}";
        Score = first.Haplotype.Score + (second?.Haplotype.Score ?? 0);
    }

    public HaplotypeMatch First { get; }

    public HaplotypeMatch? Second { get; }

    public string Name { get; private set; }

    public int Score { get; set; }

    public List<(int First, int Second)> SequencePairs { get; } = [];

    public DiplotypeCandidate ToCandidate() => new(Name, First.Name, Second?.Name, Score);

    /// <summary>Applies PharmCAT's sub-allele → core-allele renames.</summary>
    public void Rename(IReadOnlyDictionary<string, string> subAlleles)
    {
        foreach (var (sub, core) in subAlleles)
        {
            if (Name.Contains(sub, StringComparison.Ordinal)) Name = Name.Replace(sub, core, StringComparison.Ordinal);
        }
    }

    /// <summary>PharmCAT's order: higher score first, then by the first haplotype, then by the second.</summary>
    public int CompareTo(DiplotypeMatch? other)
    {
        if (other is null) return 1;
        var rez = other.Score.CompareTo(Score);
        if (rez != 0) return rez;
        rez = First.CompareTo(other.First);
        if (rez != 0) return rez;
        if (Second is null || other.Second is null) return (Second is not null).CompareTo(other.Second is not null);
        return Second.CompareTo(other.Second);
    }

    public override string ToString() => $"{Name} ({Score})";
}
