namespace PrecisionMed.Core.LabReports;

/// <summary>
/// Where a pharmacogene's star alleles are defined: a sample's genotypes there (reference calls included: a 0/0 there is
/// evidence, unlike elsewhere) are what its diplotype is called from.
/// </summary>
/// <param name="Gene">The gene's symbol, e.g. <c>CYP2C19</c>.</param>
/// <param name="Chromosome">The chromosome as the definitions name it (<c>chr10</c>).</param>
/// <param name="Positions">The defining positions, 1-based.</param>
public sealed record PharmacogenePositions(string Gene, string Chromosome, IReadOnlyList<long> Positions);

/// <summary>A sample's genotypes at one pharmacogene's defining positions, as the file states them: the input its diplotype is called from.</summary>
/// <param name="Gene">The gene's symbol.</param>
/// <param name="Genotypes">Per position the sample has a call for, in file order, its bases as REF/ALT resolve its GT.</param>
public sealed record ObservedPharmacogene(string Gene, IReadOnlyList<PharmacogeneGenotype> Genotypes)
{
    /// <summary>The genotype at a position, or null when the file has none there.</summary>
    public PharmacogeneGenotype? At(long position)
    {
        foreach (var genotype in Genotypes)
        {
            if (genotype.Position == position) return genotype;
        }

        return null;
    }
}

/// <summary>A sample's call at one defining position, as the VCF states it.</summary>
/// <param name="Position">1-based.</param>
/// <param name="First">The first allele's bases (upper case), or <see cref="Uncalled"/> for a <c>.</c> in the GT.</param>
/// <param name="Second">The second allele's, <see cref="Uncalled"/>, or null for a haploid call (a male's chrX).</param>
/// <param name="Phased">The GT is phased (<c>|</c>); a haploid call counts as phased.</param>
/// <param name="PhaseSet">The FORMAT PS of a phased call, when the file gives one: phased only with calls of the same set.</param>
public readonly record struct PharmacogeneGenotype(long Position, string First, string? Second, bool Phased = false, int? PhaseSet = null)
{
    /// <summary>An allele the GT leaves uncalled (<c>1/.</c>).</summary>
    public const string Uncalled = ".";
}

/// <summary>The diplotypes a lab called itself and stated in the file for one gene: distinct, as written, in the order first seen.</summary>
/// <param name="Gene">The gene's symbol, upper case.</param>
/// <param name="Diplotypes">Two-allele star diplotypes, e.g. <c>*2/*17</c>.</param>
public sealed record StatedDiplotypes(string Gene, IReadOnlyList<string> Diplotypes);

/// <summary>Star-allele diplotypes compared as the same call whatever the order of their two alleles.</summary>
public static class StarDiplotypes
{
    /// <summary>The two alleles of a diplotype in ordinal order, so <c>*2/*1</c> and <c>*1/*2</c> are one key.</summary>
    public static string Canonical(string diplotype)
    {
        ArgumentNullException.ThrowIfNull(diplotype);
        var alleles = diplotype.Split('/', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (alleles.Length != 2) return diplotype.Trim();
        return string.CompareOrdinal(alleles[0], alleles[1]) <= 0 ? $"{alleles[0]}/{alleles[1]}" : $"{alleles[1]}/{alleles[0]}";
    }

    /// <summary>Whether two diplotypes are one call (allele order and letter case aside).</summary>
    public static bool Same(string a, string b) => string.Equals(Canonical(a), Canonical(b), StringComparison.OrdinalIgnoreCase);
}
