namespace PrecisionMed.Core.Knowledge.Pharmacogenomics;

/// <summary>
/// A sample's genotype at one defining position, in VCF terms (the alleles as REF/ALT spell them, e.g. <c>CAT</c> or
/// <c>CATAT</c> for a repeat). <see cref="MissingAllele"/> (<c>.</c>) is an allele the GT left uncalled (<c>1/.</c>);
/// a null <paramref name="Allele2"/> is an allele that is not there at all (a hemizygous <c>GT=1</c> on chrX).
/// </summary>
/// <param name="Phased">The GT was phased (<c>|</c>); a single-allele GT counts as phased, as in PharmCAT.</param>
/// <param name="PhaseSet">The FORMAT PS of a phased GT, when the file has one: phased only within that set.</param>
public readonly record struct SampleGenotype(long Position, string? Allele1, string? Allele2, bool Phased = false, int? PhaseSet = null)
{
    public const string MissingAllele = ".";

    /// <summary>An unphased diploid genotype.</summary>
    public static SampleGenotype Unphased(long position, string first, string second) => new(position, first, second);
}

/// <summary>The sex a sample's X-chromosome genes are called for: a male's chrX genotype is hemizygous.</summary>
public enum SampleSex
{
    Unknown,
    Female,
    Male,
}

/// <summary>How to call: the defaults are PharmCAT's production settings.</summary>
/// <param name="TopCandidateOnly">Only the best-scoring diplotypes (PharmCAT's default); false lists every matching diplotype, best first.</param>
/// <param name="FindCombinations">Look for combinations of alleles and partial alleles on one strand when no diplotype fits (PharmCAT's research mode).</param>
/// <param name="WithExemptions">Apply the gene's exemptions (required positions, AMP tier-1 flags, unphased picks).</param>
/// <param name="Sex">Male: a chrX gene called from a homozygous diploid GT is called hemizygous.</param>
public sealed record StarAlleleOptions(bool TopCandidateOnly = true, bool FindCombinations = false, bool WithExemptions = true, SampleSex Sex = SampleSex.Unknown)
{
    public static StarAlleleOptions Default { get; } = new();
}
