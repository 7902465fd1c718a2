namespace PrecisionMed.Core.Knowledge.Pharmacogenomics;

/// <summary>
/// Calls a gene's diplotypes from a sample's genotypes at its defining positions with PharmCAT's named-allele matcher
/// semantics: alleles a definition leaves undefined are the reference allele's;
/// missing positions constrain nothing and drop the alleles defined only there; unphased heterozygous positions are
/// tried in every phasing; all fitting diplotypes are reported best first, a tie never broken by a guess; an
/// uncalled allele (<c>0/.</c>) or a missing required position is no call; DPYD and RYR1 fall back to the
/// haplotypes on either strand (the lowest-function rule reads those); a hemizygous chrX genotype gives a haplotype.
/// </summary>
public static class NamedAlleleMatcher
{
    public static GeneCallResult Call(AlleleDefinitionDocument definitions, IEnumerable<SampleGenotype> genotypes, StarAlleleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(genotypes);
        options ??= StarAlleleOptions.Default;
        var index = GeneDefinitionIndex.For(definitions);
        var list = genotypes as IReadOnlyCollection<SampleGenotype> ?? [.. genotypes];

        // Undocumented alleles stay as they are when looking for combinations, so a partial allele names the change.
        var asReference = index.UndocumentedAsReference && (index.IsLowestFunction || !options.FindCombinations);
        var sample = SampleAlleles.Read(index, list, options, asReference);
        var outcome = new Outcome(sample, options);
        if (sample.Present.Length == 0) return outcome.NoCall(NoCallReason.NoPositions);
        if (outcome.MissingRequired.Count > 0) return outcome.NoCall(NoCallReason.MissingRequiredPositions);
        if (sample.TooManyBranches) return outcome.NoCall(NoCallReason.TooManyUnphasedHeterozygous);
        if (index.IsLowestFunction) return LowestFunction.Call(sample, outcome);

        if (sample.HasPartialMissing)
            return options.FindCombinations ? Combinations(sample, outcome) : outcome.NoCall(NoCallReason.PartialMissingAlleles);

        var matches = HaplotypeMatch.Find(sample, Haplotype.Marshal(sample, assumeReference: true));
        var diplotypes = DiplotypeMatcher.Compute(sample, matches, combinations: false, options.TopCandidateOnly && !outcome.UnphasedPriorityMode);
        if (diplotypes.Count == 0 && options.FindCombinations) return Combinations(sample, outcome);
        return outcome.Diplotypes(diplotypes);
    }

    /// <summary>PharmCAT's research mode: alleles found together on a strand, and changes no allele explains, named as partials.</summary>
    private static GeneCallResult Combinations(SampleAlleles sample, Outcome outcome)
    {
        var haplotypes = Haplotype.Marshal(sample, assumeReference: false, CombinationMatcher.Ignorable(sample.Index));
        var matches = CombinationMatcher.Find(sample, haplotypes, partials: true);
        return outcome.Diplotypes(DiplotypeMatcher.Compute(sample, matches, combinations: true, topCandidateOnly: false));
    }
}
