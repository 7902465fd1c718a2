namespace PrecisionMed.Core.LabReports;

/// <summary>
/// What mapping a VCF needs to know beyond the file, in the canonical model's terms: whether a variant is known (the
/// "only known variants" rule for large files), at which positions a sample's genotypes are kept for the pharmacogenes
/// called from them, and the lab's VCF conventions (its profile). The knowledge store implements it
/// (<c>PrecisionMed.Core.Knowledge.StoreVariantKnowledge</c>), so a format reads it without depending on the store;
/// <see cref="NoVariantKnowledge"/> knows nothing.
/// </summary>
public interface IVariantKnowledge
{
    ValueTask<bool> IsKnownAsync(KnownVariantQuery variant, CancellationToken cancellationToken);

    /// <summary>The defining positions of every pharmacogene whose star alleles are called from genotypes there, on a genome build.</summary>
    ValueTask<IReadOnlyList<PharmacogenePositions>> PharmacogenePositionsAsync(string genomeBuild, CancellationToken cancellationToken);

    /// <summary>How the lab a file comes from writes its VCFs, or null when nothing is known of it.</summary>
    ValueTask<VcfLabProfile?> LabProfileAsync(string labId, CancellationToken cancellationToken);
}

/// <summary>
/// No knowledge: with <c>VcfOptions.OnlyKnownVariants</c> only configured genes report, no pharmacogene genotypes are
/// kept, and no lab has a profile (the <c>VcfOptions</c> defaults apply).
/// </summary>
public sealed class NoVariantKnowledge : IVariantKnowledge
{
    public ValueTask<bool> IsKnownAsync(KnownVariantQuery variant, CancellationToken cancellationToken) => ValueTask.FromResult(false);

    public ValueTask<IReadOnlyList<PharmacogenePositions>> PharmacogenePositionsAsync(string genomeBuild, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<PharmacogenePositions>>([]);

    public ValueTask<VcfLabProfile?> LabProfileAsync(string labId, CancellationToken cancellationToken) => ValueTask.FromResult<VcfLabProfile?>(null);
}
