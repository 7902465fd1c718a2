namespace PrecisionMed.Core.Knowledge.Pharmacogenomics;

/// <summary>
/// A named allele as one call sees it: its alleles at the positions the sample has (a position it leaves undefined
/// filled from the reference allele when PharmCAT assumes reference), its score (the positions its definition
/// constrains there) and, for a combination found on one strand, the alleles it is made of.
/// </summary>
internal sealed class Haplotype
{
    private readonly bool[] _defined;
    private readonly int[] _definedAt;
    private readonly bool _filled;

    private Haplotype(string name, bool isReference, string?[] bases, bool[] defined, bool filled, int score, long[] missingPositions)
    {
        Name = name;
        IsReference = isReference;
        Bases = bases;
        _defined = defined;
        _filled = filled && !isReference;
        Score = score;
        MissingPositions = missingPositions;
        var wobbles = new List<int>();
        var definedAt = new List<int>();
        for (var k = 0; k < bases.Length; k++)
        {
            if (Iupac.IsAmbiguity(bases[k])) wobbles.Add(k);
            if (defined[k]) definedAt.Add(k);
        }

        Wobbles = [.. wobbles];
        _definedAt = [.. definedAt];
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
        if (sample.Missing.Count == 0 && skip is null)
        {
            // Every position present: the same for every such sample, so built once per gene.
            var cached = assumeReference ? index.Complete : index.CompleteRaw;
            if (cached is not null) return cached;
            var built = Build(sample, assumeReference, null);
            if (assumeReference) index.Complete = built;
            else index.CompleteRaw = built;
            return built;
        }

        return Build(sample, assumeReference, skip);
    }

    private static List<Haplotype> Build(SampleAlleles sample, bool assumeReference, Func<NamedAlleleDefinition, bool>? skip)
    {
        var index = sample.Index;
        var present = sample.Present;
        var haplotypes = new List<Haplotype>(index.Alleles.Length);
        for (var a = 0; a < index.Alleles.Length; a++)
        {
            var allele = index.Alleles[a];
            if (skip?.Invoke(allele) == true) continue;
            var source = index.UpperBases[a];
            var bases = new string?[present.Length];
            var defined = new bool[present.Length];
            var score = 0;
            for (var k = 0; k < present.Length; k++)
            {
                bases[k] = source[present[k]];
                defined[k] = bases[k] is not null;
                if (defined[k]) score++;
            }

            // An allele defined only at positions the sample lacks cannot be told apart from the reference: left out.
            if (sample.Missing.Count > 0 && score == 0) continue;
            long[] missing = sample.Missing.Count == 0 ? [] : [.. sample.Missing.Where(p => source[index.IndexOf[p]] is not null)];
            if (assumeReference && !allele.Reference)
            {
                for (var k = 0; k < present.Length; k++) bases[k] ??= index.Fill[present[k]];
            }

            haplotypes.Add(new Haplotype(allele.Name, allele.Reference, bases, defined, assumeReference, score, missing));
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

        var defined = bases.Select(b => b is not null).ToArray();
        var score = defined.Count(d => d) - partials;
        var missing = components.SelectMany(c => c.MissingPositions).Distinct().Order().ToArray();
        return new Haplotype(name, false, bases, defined, false, score, missing) { Components = components, NumPartials = partials };
    }

    /// <summary>
    /// Whether a strand sequence carries this allele (undefined positions match anything, or the reference's allele
    /// when reference is assumed; IUPAC codes any base they name). <paramref name="differences"/> are the positions
    /// where the sequence is not the reference's allele: an assumed-reference allele must define each of them.
    /// </summary>
    public bool Matches(string?[] sequence, int[] differences)
    {
        if (_filled)
        {
            foreach (var k in differences)
            {
                if (!_defined[k]) return false;
            }
        }

        return Carries(sequence);
    }

    /// <summary>Whether the sequence has the allele at every position its definition uses (the combination matcher's test).</summary>
    public bool Carries(string?[] sequence)
    {
        foreach (var k in _definedAt)
        {
            if (!Iupac.Accepts(Bases[k]!, sequence[k])) return false;
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
}
