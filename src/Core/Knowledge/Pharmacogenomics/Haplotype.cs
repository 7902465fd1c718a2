namespace PrecisionMed.Core.Knowledge.Pharmacogenomics;

/// <summary>
/// A named allele as one call sees it: its alleles at the positions the sample has (a position it leaves undefined
/// filled from the reference allele when PharmCAT assumes reference), its score (the positions its definition
/// constrains there) and, for a combination found on one strand, the alleles it is made of.
/// </summary>
internal sealed class Haplotype
{
    private Haplotype(string name, bool isReference, string?[] bases, int score, long[] missingPositions)
    {
        Name = name;
        IsReference = isReference;
        Bases = bases;
        Score = score;
        MissingPositions = missingPositions;
        var wobbles = new List<int>();
        for (var k = 0; k < bases.Length; k++)
        {
            if (Iupac.IsAmbiguity(bases[k])) wobbles.Add(k);
        }

        Wobbles = [.. wobbles];
    }

    public string Name { get; }

    public bool IsReference { get; }

    /// <summary>One allele per present position; null matches anything (only when reference is not assumed).</summary>
    public string?[] Bases { get; }

    public int Score { get; }

    /// <summary>Present positions (by index) where the definition has an IUPAC ambiguity code.</summary>
    public int[] Wobbles { get; }

    /// <summary>Positions the allele's definition uses that the sample lacks.</summary>
    public long[] MissingPositions { get; }

    /// <summary>The named alleles of a combination (empty for a named allele).</summary>
    public IReadOnlyList<Haplotype> Components { get; private init; } = [];

    public int NumPartials { get; private init; }

    /// <summary>The named alleles a call can match, from the gene's definitions, restricted to the sample's positions.</summary>
    /// <param name="skip">Alleles this call leaves out (combinations of UGT1A1 when finding combinations; DPYD's HapB3 while it is matched apart).</param>
    public static List<Haplotype> Marshal(SampleAlleles sample, bool assumeReference, Func<NamedAlleleDefinition, bool>? skip = null)
    {
        var index = sample.Index;
        var present = sample.Present;
        var reference = index.Reference >= 0 ? index.Alleles[index.Reference] : null;
        var haplotypes = new List<Haplotype>(index.Alleles.Length);
        foreach (var allele in index.Alleles)
        {
            if (skip?.Invoke(allele) == true) continue;
            var bases = new string?[present.Length];
            var score = 0;
            for (var k = 0; k < present.Length; k++)
            {
                bases[k] = Upper(allele.Bases[present[k]]);
                if (bases[k] is not null) score++;
            }

            // An allele defined only at positions the sample lacks cannot be told apart from the reference: left out.
            if (sample.Missing.Count > 0 && score == 0) continue;
            var missing = sample.Missing.Where(p => allele.Bases[index.IndexOf[p]] is not null).ToArray();
            if (assumeReference && !allele.Reference && reference is not null)
            {
                for (var k = 0; k < present.Length; k++)
                {
                    if (bases[k] is not null) continue;
                    var fill = Upper(reference.Bases[present[k]]);
                    bases[k] = Iupac.IsAmbiguity(fill) ? index.Refs[present[k]] : fill;
                }
            }

            haplotypes.Add(new Haplotype(allele.Name, allele.Reference, bases, score, missing));
        }

        return haplotypes;
    }

    /// <summary>A combination or partial allele built from named alleles found together on one strand.</summary>
    public static Haplotype Combined(string name, IReadOnlyList<Haplotype> components, int presentCount, int partials)
    {
        var bases = new string?[presentCount];
        foreach (var component in components)
        {
            for (var k = 0; k < presentCount; k++) bases[k] ??= component.Bases[k];
        }

        var score = bases.Count(b => b is not null) - partials;
        var missing = components.SelectMany(c => c.MissingPositions).Distinct().Order().ToArray();
        return new Haplotype(name, false, bases, score, missing) { Components = components, NumPartials = partials };
    }

    /// <summary>Whether a strand sequence carries this allele (undefined positions match anything; IUPAC codes any base they name).</summary>
    public bool Matches(string?[] sequence)
    {
        for (var k = 0; k < Bases.Length; k++)
        {
            var expected = Bases[k];
            if (expected is null) continue;
            if (!Iupac.Accepts(expected, sequence[k])) return false;
        }

        return true;
    }

    /// <summary>
    /// The score for the sequences this allele was matched to: a wobble (IUPAC) position where every one of them is
    /// the reference tells nothing about the allele and does not count.
    /// </summary>
    public int ScoreFor(SampleAlleles sample, IEnumerable<int> sequences)
    {
        if (Wobbles.Length == 0) return Score;
        var score = Score;
        foreach (var k in Wobbles)
        {
            var reference = sample.Index.Refs[sample.Present[k]];
            if (sequences.All(s => sample.Permutations[s][k] == reference)) score--;
        }

        return score;
    }

    public override string ToString() => Name;

    private static string? Upper(string? allele) => allele?.ToUpperInvariant();
}
