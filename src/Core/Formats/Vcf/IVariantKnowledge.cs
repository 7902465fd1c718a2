namespace PrecisionMed.Core.Formats.Vcf;

/// <summary>A variant as the knowledge store keys it: build, RefSeq chromosome accession, VCF position and alleles (normalised).</summary>
public sealed record KnownVariantQuery(string GenomeBuild, string ChromosomeAccession, long Position, string Ref, string Alt, string? Gene);

/// <summary>
/// Answers whether the knowledge store knows a variant: the "only known variants" rule for large files. The
/// knowledge store implements it; until one is registered, <see cref="NoVariantKnowledge"/> knows none.
/// </summary>
public interface IVariantKnowledge
{
    ValueTask<bool> IsKnownAsync(KnownVariantQuery variant, CancellationToken cancellationToken);
}

/// <summary>The default: no knowledge, so with <see cref="VcfOptions.OnlyKnownVariants"/> only configured genes report.</summary>
public sealed class NoVariantKnowledge : IVariantKnowledge
{
    public ValueTask<bool> IsKnownAsync(KnownVariantQuery variant, CancellationToken cancellationToken) => ValueTask.FromResult(false);
}
