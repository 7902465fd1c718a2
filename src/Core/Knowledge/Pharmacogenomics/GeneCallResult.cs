namespace PrecisionMed.Core.Knowledge.Pharmacogenomics;

/// <summary>One diplotype that fits the sample (or one haplotype, for a hemizygous call).</summary>
/// <param name="Name">PharmCAT's name: <c>*1/*80+*28</c>, or the haplotype alone when hemizygous.</param>
/// <param name="Haplotype2">Null when hemizygous.</param>
/// <param name="Score">How many defining positions the two alleles' definitions constrain (higher is more specific).</param>
public sealed record DiplotypeCandidate(string Name, string Haplotype1, string? Haplotype2, int Score)
{
    /// <summary>Either haplotype is a combination or partial allele (<c>[*2 + *6]</c>, <c>g.123A&gt;G</c>).</summary>
    public bool Combination => IsCombination(Haplotype1) || (Haplotype2 is not null && IsCombination(Haplotype2));

    private static bool IsCombination(string name) => Pharmacogenomics.Combination.IsName(name) || Pharmacogenomics.Combination.IsPartialName(name);
}

/// <summary>Why no diplotype was called although the sample has positions of the gene.</summary>
public enum NoCallReason
{
    None,

    /// <summary>The sample has none of the gene's defining positions.</summary>
    NoPositions,

    /// <summary>A position the gene's exemptions require is missing (NAT2).</summary>
    MissingRequiredPositions,

    /// <summary>A genotype has an uncalled allele (<c>0/.</c>) and combinations were not asked for.</summary>
    PartialMissingAlleles,

    /// <summary>No pair of defined alleles fits the genotypes.</summary>
    NoMatch,

    /// <summary>So many unphased heterozygous positions that their phasings cannot all be tried.</summary>
    TooManyUnphasedHeterozygous,
}

/// <summary>
/// A gene's call the way PharmCAT's named-allele matcher makes it: every fitting diplotype in PharmCAT's order (score,
/// then haplotype names), never narrowed by a guess, with what the call rests on.
/// </summary>
/// <param name="Diplotypes">The fitting diplotypes, best first (only the best-scoring ones unless asked for all).</param>
/// <param name="Haplotypes">
/// For a lowest-function gene (DPYD, RYR1) whose unphased genotypes fit no diplotype: the haplotypes found on either
/// strand, listed twice when on both, from which the lowest-function rule reads the phenotype.
/// </param>
/// <param name="MissingPositions">Defining positions the sample has no genotype for (they constrain nothing).</param>
/// <param name="Phased">Every genotype used was phased.</param>
/// <param name="EffectivelyPhased">At most two strand sequences fit the genotypes (phased, or unphased but heterozygous at most once).</param>
/// <param name="Hemizygous">One allele per position (a male's chrX): the call is a haplotype, not a diplotype.</param>
/// <param name="UnphasedPriorityOf">When an exemption picked one of several unphased diplotypes: all of them, best first.</param>
/// <param name="UndocumentedVariationPositions">Positions where the sample has an allele the definitions do not use.</param>
/// <param name="UndocumentedAsReference">Those alleles were read as the reference (CACNA1S, DPYD, G6PD, NUDT15, RYR1, TPMT).</param>
public sealed record GeneCallResult(
    string Gene,
    IReadOnlyList<DiplotypeCandidate> Diplotypes,
    IReadOnlyList<string> Haplotypes,
    IReadOnlyList<long> MissingPositions,
    NoCallReason NoCall,
    bool Phased,
    bool EffectivelyPhased,
    bool Hemizygous,
    IReadOnlyList<long> MissingRequiredPositions,
    IReadOnlyList<long> MissingAmp1Positions,
    IReadOnlyList<DiplotypeCandidate>? UnphasedPriorityOf,
    IReadOnlyList<long> UndocumentedVariationPositions,
    bool UndocumentedAsReference)
{
    /// <summary>More than one diplotype fits with the best score: report them all, call none.</summary>
    public bool Ambiguous => Diplotypes.Count > 1 && Diplotypes[1].Score == Diplotypes[0].Score;

    /// <summary>Missing defining positions left some alleles' definitions only partly checked.</summary>
    public bool Partial => MissingPositions.Count > 0;
}
