namespace PrecisionMed.Core.Formats.Vcf;

/// <summary>
/// The sex of the sample a VCF's calls come from, as the order states it (VCF carries none). It decides allelic
/// state on X and Y: a male's homozygous-looking diploid call outside the pseudo-autosomal regions is hemizygous.
/// </summary>
public enum SampleSex
{
    Unknown,
    Male,
    Female,
}
