using PrecisionMed.Core.Genomics.Index;

namespace PrecisionMed.Core.Genomics.Operations;

/// <summary>A gene an operation asks about: an HGNC id (<c>HGNC:1100</c>, or <c>http://www.genenames.org|HGNC:1100</c> as
/// the IG's examples write it) or a symbol (<c>BRCA1</c>).</summary>
public sealed record GeneQuery(string Text, string Gene)
{
    public static bool TryParse(string text, out GeneQuery query, out string reason)
    {
        query = null!;
        var value = (text ?? string.Empty).Trim();
        var gene = value[(value.LastIndexOf('|') + 1)..].Trim();
        if (gene.Length == 0 || gene.Any(c => char.IsWhiteSpace(c) || c == '*'))
        {
            reason = "not an HGNC id (HGNC:1100) or gene symbol";
            return false;
        }

        query = new GeneQuery(value, gene);
        reason = string.Empty;
        return true;
    }

    /// <summary>The population partition of the gene.</summary>
    public PopulationKey Key => PopulationKey.Gene(Gene);

    public bool Matches(IReadOnlyList<IndexedGene> genes) =>
        genes.Any(g => string.Equals(g.HgncId, Gene, StringComparison.OrdinalIgnoreCase) || string.Equals(g.Symbol, Gene, StringComparison.OrdinalIgnoreCase));
}
