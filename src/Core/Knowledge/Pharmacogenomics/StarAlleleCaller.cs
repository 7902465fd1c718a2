using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Knowledge.Pharmacogenomics;

/// <summary>The outcome of calling a gene's diplotype from a sample's genotypes at the gene's defining positions.</summary>
/// <param name="Diplotype">The one best-scoring diplotype, or null when there is none or the best are tied (ambiguous).</param>
/// <param name="Candidates">Every best-scoring diplotype: one when called, several when ambiguous.</param>
/// <param name="MissingPositions">Defining positions the sample has no genotype for (they constrain nothing).</param>
public sealed record StarAlleleCall(string Gene, string? Diplotype, IReadOnlyList<string> Candidates, IReadOnlyList<long> MissingPositions)
{
    public bool Ambiguous => Diplotype is null && Candidates.Count > 1;

    /// <summary>The call as a Genotype finding (PharmVar-style value, e.g. <c>CYP2C19 *2/*2</c>), or null when nothing was called.</summary>
    public GenotypeFinding? ToGenotype(string key, CodedValue gene) =>
        Diplotype is null ? null : DiplotypeGenotype(key, gene, Gene, Diplotype);

    /// <summary>
    /// A diplotype as a Genotype finding with a PharmVar-style value (<c>CYP2C19 *2/*2</c>): the one shape for a
    /// called diplotype and a lab-reported one, so enrichment reads both alike.
    /// </summary>
    public static GenotypeFinding DiplotypeGenotype(string key, CodedValue gene, string symbol, string diplotype)
    {
        var text = $"{symbol} {diplotype}";
        return new GenotypeFinding(key, new CodedValue([new Coding(Coding.PharmVar, text, text)], text), [gene], []);
    }
}

/// <summary>
/// Calls star alleles for a single gene the way PharmCAT's named-allele matcher does for genes like CYP2C19, from the
/// allele definitions in the knowledge store: a diplotype matches when, at every defining position the sample has a
/// genotype for, its two alleles' bases (a base an allele leaves undefined is the reference named allele's there, as
/// PharmCAT assumes; IUPAC codes match any base they stand for) are the sample's two bases. Among matching diplotypes
/// the most specific (most defined positions the sample has) wins; a tie is reported as ambiguous with every
/// candidate, never guessed.
/// Unphased genotypes only constrain each position on its own, as PharmCAT does for unphased input.
/// </summary>
public static class StarAlleleCaller
{
    /// <param name="genotypes">The sample's two bases per GRCh38 position (VCF GT resolved against REF/ALT).</param>
    public static StarAlleleCall Call(AlleleDefinitionDocument definitions, IReadOnlyDictionary<long, (string First, string Second)> genotypes)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(genotypes);
        var positions = definitions.Positions;
        var missing = positions.Where(p => !genotypes.ContainsKey(p.Position)).Select(p => p.Position).ToList();
        if (missing.Count == positions.Count) return new StarAlleleCall(definitions.Gene, null, [], missing);

        var alleles = definitions.Alleles;
        var reference = alleles.FirstOrDefault(a => a.Reference) ?? (alleles.Count > 0 ? alleles[0] : null);
        var matches = new List<(string Diplotype, int Score)>();
        for (var a = 0; a < alleles.Count; a++)
        {
            for (var b = a; b < alleles.Count; b++)
            {
                if (Matches(alleles[a], alleles[b], reference, positions, genotypes))
                    matches.Add((KnowledgeIds.CanonicalDiplotype($"{alleles[a].Name}/{alleles[b].Name}"), Score(alleles[a], positions, genotypes) + Score(alleles[b], positions, genotypes)));
            }
        }

        if (matches.Count == 0) return new StarAlleleCall(definitions.Gene, null, [], missing);
        var best = matches.Max(m => m.Score);
        var candidates = matches.Where(m => m.Score == best).Select(m => m.Diplotype).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new StarAlleleCall(definitions.Gene, candidates.Count == 1 ? candidates[0] : null, candidates, missing);
    }

    private static bool Matches(
        NamedAlleleDefinition first, NamedAlleleDefinition second, NamedAlleleDefinition? reference,
        IReadOnlyList<AlleleDefinitionPosition> positions, IReadOnlyDictionary<long, (string First, string Second)> genotypes)
    {
        for (var i = 0; i < positions.Count; i++)
        {
            if (!genotypes.TryGetValue(positions[i].Position, out var sample)) continue;
            var x = MatchedBase(first, reference, positions[i], i);
            var y = MatchedBase(second, reference, positions[i], i);
            if (!((Accepts(x, sample.First) && Accepts(y, sample.Second)) || (Accepts(x, sample.Second) && Accepts(y, sample.First)))) return false;
        }

        return true;
    }

    private static string? Base(NamedAlleleDefinition allele, int index) => index < allele.Bases.Count ? allele.Bases[index] : null;

    /// <summary>
    /// The base an allele stands for at a position: its own, else the reference named allele's, else the position's
    /// reference base. Without this an allele defined by one variant would accept any other allele's variant.
    /// </summary>
    private static string? MatchedBase(NamedAlleleDefinition allele, NamedAlleleDefinition? reference, AlleleDefinitionPosition position, int index) =>
        Base(allele, index) ?? (reference is null ? null : Base(reference, index)) ?? (position.Ref.Length > 0 ? position.Ref : null);

    /// <summary>How specific an allele's match is: its defined positions the sample has a genotype for.</summary>
    private static int Score(NamedAlleleDefinition allele, IReadOnlyList<AlleleDefinitionPosition> positions, IReadOnlyDictionary<long, (string First, string Second)> genotypes)
    {
        var score = 0;
        for (var i = 0; i < positions.Count; i++)
        {
            if (Base(allele, i) is not null && genotypes.ContainsKey(positions[i].Position)) score++;
        }

        return score;
    }

    /// <summary>Whether a defined base (null: undefined, matches anything; IUPAC: any base it stands for) accepts the sample's.</summary>
    private static bool Accepts(string? defined, string sample) => defined switch
    {
        null => true,
        "R" => sample is "A" or "G",
        "Y" => sample is "C" or "T",
        "M" => sample is "A" or "C",
        "K" => sample is "G" or "T",
        "S" => sample is "C" or "G",
        "W" => sample is "A" or "T",
        "N" => true,
        _ => string.Equals(defined, sample, StringComparison.OrdinalIgnoreCase),
    };
}
