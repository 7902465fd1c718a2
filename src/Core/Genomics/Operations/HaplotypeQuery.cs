using System.Collections.Frozen;
using PrecisionMed.Core.Genomics.Index;

namespace PrecisionMed.Core.Genomics.Operations;

/// <summary>
/// A haplotype or genotype an operation asks about: <c>CYP2C19 *1/*17</c>, <c>HLA-B*27</c> (which finds <c>HLA-B*27:05</c>,
/// as HLA's fields only narrow a name), a <c>system|code</c> (<c>http://www.pharmvar.org|CYP2D6_*1/*1</c>) or just a gene.
/// </summary>
/// <param name="Name">The name without spaces and in upper case: <c>CYP2C19*1/*17</c>.</param>
/// <param name="Gene">The gene it is of (<c>CYP2C19</c>, <c>HLA-B</c>): the population partition to read.</param>
public sealed record HaplotypeQuery(string Text, string Name, string Gene)
{
    // The HLA loci an HLA typing may name without the HLA- prefix ("A*01", "DRB1*03").
    private static readonly FrozenSet<string> HlaLoci = FrozenSet.ToFrozenSet(
        ["A", "B", "C", "DRB1", "DRB3", "DRB4", "DRB5", "DQA1", "DQB1", "DPA1", "DPB1", "E", "F", "G"], StringComparer.Ordinal);

    public static bool TryParse(string text, out HaplotypeQuery query, out string reason)
    {
        query = null!;
        var value = (text ?? string.Empty).Trim();
        var name = Normalise(value[(value.LastIndexOf('|') + 1)..]);
        var star = name.IndexOf('*', StringComparison.Ordinal);
        var gene = star < 0 ? name : name[..star];
        if (gene.Length == 0 || name.Any(char.IsWhiteSpace))
        {
            reason = "not a haplotype or genotype (CYP2C19 *1/*17, HLA-B*27, system|code or a gene)";
            return false;
        }

        if (HlaLoci.Contains(gene))
        {
            gene = "HLA-" + gene;
            name = "HLA-" + name;
        }

        query = new HaplotypeQuery(value, Canonical(name), gene);
        reason = string.Empty;
        return true;
    }

    /// <summary>The population partition of the gene.</summary>
    public PopulationKey Key => PopulationKey.Gene(Gene);

    /// <summary>Whether the indexed genotype or haplotype is this one, one of its alleles, or (for a gene alone) of the gene.</summary>
    public bool Matches(IndexedHaplotype haplotype)
    {
        ArgumentNullException.ThrowIfNull(haplotype);
        if (Name == Gene && haplotype.Genes.Any(g => string.Equals(g.Symbol, Gene, StringComparison.OrdinalIgnoreCase)
            || string.Equals(g.HgncId, Gene, StringComparison.OrdinalIgnoreCase))) return true;
        return TokensOf(haplotype).Any(t => t == Name || t.StartsWith(Name + ":", StringComparison.Ordinal)
            || (Name == Gene && t.StartsWith(Name + "*", StringComparison.Ordinal)));
    }

    private static IEnumerable<string> TokensOf(IndexedHaplotype haplotype)
    {
        foreach (var written in haplotype.Codes.Select(c => c[(c.LastIndexOf('|') + 1)..]).Append(haplotype.Name))
        {
            var whole = Normalise(written);
            yield return Canonical(whole);
            var star = whole.IndexOf('*', StringComparison.Ordinal);
            var gene = star < 0 ? string.Empty : whole[..star];
            foreach (var allele in whole.Split(['+', '|', '/', '^', '~', ','], StringSplitOptions.RemoveEmptyEntries))
            {
                yield return allele.StartsWith('*') ? gene + allele : allele;
            }
        }
    }

    // A genotype's alleles in either order are the same genotype.
    private static string Canonical(string name)
    {
        var star = name.IndexOf('*', StringComparison.Ordinal);
        if (star < 0 || name.AsSpan(star).IndexOfAny("+|^~,") >= 0 || !name.Contains('/', StringComparison.Ordinal)) return name;
        var alleles = name[star..].Split('/').Select(a => a.StartsWith('*') ? a : "*" + a).Order(StringComparer.Ordinal);
        return name[..star] + string.Join('/', alleles);
    }

    private static string Normalise(string written)
    {
        var text = written[(written.LastIndexOf('#') + 1)..];
        return string.Concat(text.Where(c => !char.IsWhiteSpace(c))).Replace('_', '*').Replace("**", "*", StringComparison.Ordinal).ToUpperInvariant();
    }
}
