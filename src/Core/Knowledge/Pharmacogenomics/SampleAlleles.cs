namespace PrecisionMed.Core.Knowledge.Pharmacogenomics;

/// <summary>
/// A sample's genotypes at one gene's defining positions, read as PharmCAT reads them: the positions present, each
/// strand's allele there (undocumented alleles read as the reference for the genes that do so), and every strand
/// sequence the genotypes allow (a phased or homozygous position fixes its strand; an unphased heterozygous one, or a
/// phase set, doubles the sequences).
/// </summary>
internal sealed class SampleAlleles
{
    /// <summary>Branch points past which the 2^n sequences are not tried (PharmCAT has no limit; 2^16 already means hours of review).</summary>
    public const int MaxBranches = 16;

    private SampleAlleles(GeneDefinitionIndex index, int[] present)
    {
        Index = index;
        Present = present;
        var n = present.Length;
        First = new string?[n];
        Second = new string?[n];
        RawMissing1 = new bool[n];
        RawMissing2 = new bool[n];
        Homozygous = new bool[n];
        EffectivelyPhasedAt = new bool[n];
        PhaseSets = new int?[n];
    }

    public GeneDefinitionIndex Index { get; }

    /// <summary>Indices (into the gene's positions) of the positions the sample has a genotype for, in position order.</summary>
    public int[] Present { get; }

    public string?[] First { get; }

    public string?[] Second { get; }

    private bool[] RawMissing1 { get; }

    private bool[] RawMissing2 { get; }

    public bool[] Homozygous { get; }

    private bool[] EffectivelyPhasedAt { get; }

    private int?[] PhaseSets { get; }

    public List<long> Missing { get; } = [];

    public List<long> Undocumented { get; } = [];

    public bool UndocumentedAsReference { get; private set; }

    public bool Phased { get; private set; } = true;

    public bool Haploid { get; private set; }

    /// <summary>A genotype has an uncalled allele (<c>0/.</c>).</summary>
    public bool HasPartialMissing { get; private set; }

    /// <summary>Some phased genotypes carry phase sets (more than the one "no set").</summary>
    public bool UsingPhaseSets { get; private set; }

    public List<string?[]> Permutations { get; } = [];

    private readonly List<string?> _keys = [];

    /// <summary>For each sequence, the positions (by index) where it is not the reference allele's: few, so matching reads only them.</summary>
    public List<int[]> Differences { get; } = [];

    public bool TooManyBranches { get; private set; }

    public bool EffectivelyPhased => Permutations.Count <= 2;

    public static SampleAlleles Read(GeneDefinitionIndex index, IEnumerable<SampleGenotype> genotypes, StarAlleleOptions options, bool undocumentedAsReference)
    {
        var byIndex = new SampleGenotype?[index.Positions.Length];
        foreach (var genotype in genotypes)
        {
            if (index.IndexOf.TryGetValue(genotype.Position, out var i) && byIndex[i] is null && (genotype.Allele1 is not null || genotype.Allele2 is not null))
                byIndex[i] = genotype;
        }

        var present = new List<int>(byIndex.Length);
        for (var i = 0; i < byIndex.Length; i++)
        {
            if (byIndex[i] is null) continue;
            var g = byIndex[i]!.Value;
            if ((IsMissing(g.Allele1) && IsMissing(g.Allele2)) || HalfCalledReference(g, index, i)) byIndex[i] = null;
            else present.Add(i);
        }

        var sample = new SampleAlleles(index, [.. present]);
        for (var i = 0; i < byIndex.Length; i++)
        {
            if (byIndex[i] is null) sample.Missing.Add(index.Positions[i]);
        }

        var sets = new HashSet<int?>();
        for (var k = 0; k < sample.Present.Length; k++)
        {
            var i = sample.Present[k];
            var g = Hemizygous(byIndex[i]!.Value, index, options);
            var a1 = g.Allele1?.ToUpperInvariant();
            var a2 = g.Allele2?.ToUpperInvariant();
            sample.RawMissing1[k] = IsMissing(a1);
            sample.RawMissing2[k] = IsMissing(a2);
            if (a1 == SampleGenotype.MissingAllele || a2 == SampleGenotype.MissingAllele) sample.HasPartialMissing = true;
            sample.First[k] = sample.Computed(a1, i, undocumentedAsReference);
            sample.Second[k] = sample.Computed(a2, i, undocumentedAsReference);
            sample.Homozygous[k] = sample.First[k] is not null && sample.First[k] == sample.Second[k];

            // A single-allele GT has no '/' and so counts as phased, as PharmCAT reads it.
            var phased = g.Phased || a1 is null || a2 is null;
            var sameAlleles = a1 == a2 || a1 is null || a2 is null;
            if (!phased) sample.Phased = false;
            sample.EffectivelyPhasedAt[k] = sameAlleles || (phased && g.PhaseSet is null);
            sample.PhaseSets[k] = phased ? g.PhaseSet : null;
            if (phased) sets.Add(g.PhaseSet);
        }

        sample.UsingPhaseSets = sets.Count > 1 || (sets.Count == 1 && sets.First() is not null);
        sample.Haploid = sample.Present.Length > 0 && (sample.RawMissing1.All(m => m) || sample.RawMissing2.All(m => m));
        if (sample.Present.Length > 0) sample.GeneratePermutations();
        return sample;
    }

    /// <summary>Off chrX, <c>./0</c> says nothing a missing position does not: PharmCAT reads it as missing.</summary>
    private static bool HalfCalledReference(SampleGenotype g, GeneDefinitionIndex index, int position) =>
        !index.IsXChromosome
        && ((g.Allele1 == SampleGenotype.MissingAllele && string.Equals(g.Allele2, index.Refs[position], StringComparison.OrdinalIgnoreCase))
            || (g.Allele2 == SampleGenotype.MissingAllele && string.Equals(g.Allele1, index.Refs[position], StringComparison.OrdinalIgnoreCase)));

    private static bool IsMissing(string? allele) => allele is null || allele == SampleGenotype.MissingAllele;

    /// <summary>A male's homozygous chrX genotype is one allele: PharmCAT reads hemizygy from the GT, this from the stated sex as well.</summary>
    private static SampleGenotype Hemizygous(SampleGenotype genotype, GeneDefinitionIndex index, StarAlleleOptions options) =>
        options.Sex == SampleSex.Male && index.IsXChromosome && genotype.Allele1 is not null && string.Equals(genotype.Allele1, genotype.Allele2, StringComparison.OrdinalIgnoreCase)
            ? genotype with { Allele2 = null, Phased = true, PhaseSet = null }
            : genotype;

    private string? Computed(string? allele, int position, bool undocumentedAsReference)
    {
        if (allele is null || allele == SampleGenotype.MissingAllele) return allele;
        if (Index.Documented[position].Contains(allele)) return allele;
        var locus = Index.Positions[position];
        if (Undocumented.Count == 0 || Undocumented[^1] != locus) Undocumented.Add(locus);
        if (!undocumentedAsReference) return allele;
        UndocumentedAsReference = true;
        return Index.Refs[position];
    }

    private void GeneratePermutations()
    {
        var branches = 0;
        var seenSets = new HashSet<int>();
        for (var k = 0; k < Present.Length; k++)
        {
            if (EffectivelyPhasedAt[k] || Haploid) continue;
            if (PhaseSets[k] is not { } set || seenSets.Add(set)) branches++;
        }

        if (branches > MaxBranches)
        {
            TooManyBranches = true;
            return;
        }

        var s1Blank = RawMissing1.All(m => m);
        var s2Blank = RawMissing2.All(m => m);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var current = new string?[Present.Length];
        if (!s1Blank) Walk(0, s2Blank, true, current, [], seen);
        if (!s2Blank) Walk(0, s1Blank, false, current, [], seen);
    }

    /// <summary>A sequence spelled as PharmCAT spells it (<c>pos:allele;</c>…): ties between equal names are broken on it. Built when first asked for.</summary>
    public string Key(int permutation) => _keys[permutation] ??= Key(Permutations[permutation]);

    private string Key(string?[] sequence)
    {
        var builder = new System.Text.StringBuilder(sequence.Length * 14);
        for (var k = 0; k < sequence.Length; k++)
            builder.Append(Index.Positions[Present[k]]).Append(':').Append(sequence[k] ?? "null").Append(';');
        return builder.ToString();
    }

    private void Walk(int k, bool haploid, bool first, string?[] current, Dictionary<int, bool> sets, HashSet<string> seen)
    {
        if (k == Present.Length)
        {
            if (seen.Add(string.Join('\u001f', current)))
            {
                Permutations.Add((string?[])current.Clone());
                _keys.Add(null);
                var differences = new List<int>();
                for (var d = 0; d < current.Length; d++)
                {
                    if (!string.Equals(current[d], Index.Fill[Present[d]], StringComparison.Ordinal)) differences.Add(d);
                }

                Differences.Add([.. differences]);
            }
            return;
        }

        if (EffectivelyPhasedAt[k] || haploid)
        {
            current[k] = first ? First[k] : Second[k];
            Walk(k + 1, haploid, first, current, sets, seen);
        }
        else if (PhaseSets[k] is { } set)
        {
            if (sets.TryGetValue(set, out var inSet))
            {
                current[k] = inSet ? First[k] : Second[k];
                Walk(k + 1, false, first, current, sets, seen);
            }
            else
            {
                current[k] = First[k];
                Walk(k + 1, false, first, current, new Dictionary<int, bool>(sets) { [set] = true }, seen);
                current[k] = Second[k];
                Walk(k + 1, false, first, current, new Dictionary<int, bool>(sets) { [set] = false }, seen);
            }
        }
        else
        {
            current[k] = First[k];
            Walk(k + 1, false, first, current, sets, seen);
            current[k] = Second[k];
            Walk(k + 1, false, first, current, sets, seen);
        }
    }
}
