namespace PrecisionMed.Core.Knowledge;

/// <summary>A variant as the knowledge store keys it: build, RefSeq chromosome accession, VCF position and alleles (normalised).</summary>
public sealed record KnownVariantQuery(string GenomeBuild, string ChromosomeAccession, long Position, string Ref, string Alt, string? Gene);

/// <summary>
/// What the VCF path asks the knowledge store: whether it knows a variant (the "only known variants" rule for large
/// files), which pharmacogenes' star alleles can be called from genotypes, and the lab's profile (the genome build
/// and genomic source class its files do not state). The knowledge store implements it
/// (<see cref="StoreVariantKnowledge"/>); <see cref="NoVariantKnowledge"/> knows nothing.
/// </summary>
public interface IVariantKnowledge
{
    ValueTask<bool> IsKnownAsync(KnownVariantQuery variant, CancellationToken cancellationToken);

    /// <summary>The allele definitions of every pharmacogene called from genotypes at its defining positions, on a genome build.</summary>
    ValueTask<IReadOnlyList<AlleleDefinitionDocument>> PharmacogeneDefinitionsAsync(string genomeBuild, CancellationToken cancellationToken);

    /// <summary>The profile of the lab a file comes from, or null when the store has none for it.</summary>
    ValueTask<LabProfileDocument?> LabProfileAsync(string labId, CancellationToken cancellationToken);
}

/// <summary>
/// No knowledge: with <c>VcfOptions.OnlyKnownVariants</c> only configured genes report, no star alleles are
/// called, and no lab has a profile (the <c>VcfOptions</c> defaults apply).
/// </summary>
public sealed class NoVariantKnowledge : IVariantKnowledge
{
    public ValueTask<bool> IsKnownAsync(KnownVariantQuery variant, CancellationToken cancellationToken) => ValueTask.FromResult(false);

    public ValueTask<IReadOnlyList<AlleleDefinitionDocument>> PharmacogeneDefinitionsAsync(string genomeBuild, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<AlleleDefinitionDocument>>([]);

    public ValueTask<LabProfileDocument?> LabProfileAsync(string labId, CancellationToken cancellationToken) => ValueTask.FromResult<LabProfileDocument?>(null);
}
