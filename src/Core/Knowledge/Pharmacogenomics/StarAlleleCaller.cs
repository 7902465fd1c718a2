using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Knowledge.Pharmacogenomics;

/// <summary>The outcome of calling a gene's diplotype from a sample's genotypes at the gene's defining positions.</summary>
/// <param name="Diplotype">The one best-scoring diplotype, or null when there is none or the best are tied (ambiguous).</param>
/// <param name="Candidates">Every best-scoring diplotype: one when called, several when ambiguous.</param>
/// <param name="MissingPositions">Defining positions the sample has no genotype for (they constrain nothing).</param>
/// <param name="Result">The full call: every candidate in PharmCAT's order with its score, and the matcher's flags.</param>
public sealed record StarAlleleCall(string Gene, string? Diplotype, IReadOnlyList<string> Candidates, IReadOnlyList<long> MissingPositions, GeneCallResult? Result = null)
{
    public bool Ambiguous => Diplotype is null && Candidates.Count > 1;

    /// <summary>The call as a Genotype finding (e.g. <c>CYP2C19 *2/*2</c>, see <see cref="DiplotypeGenotype"/>), or null when nothing was called.</summary>
    public GenotypeFinding? ToGenotype(string key, CodedValue gene) =>
        Diplotype is null ? null : DiplotypeGenotype(key, gene, Gene, Diplotype);

    /// <summary>
    /// A diplotype as a Genotype finding valued <c>CYP2C19 *2/*2</c>: the one shape for a called diplotype and a
    /// lab-reported one, so enrichment reads both alike. Coded under PharmVar only for a gene PharmVar names the alleles
    /// of (<see cref="PharmVarGenes"/>); any other gene's (TPMT, UGT1A1, G6PD, VKORC1, CFTR, HLA...) is text alone.
    /// </summary>
    public static GenotypeFinding DiplotypeGenotype(string key, CodedValue gene, string symbol, string diplotype)
    {
        var text = $"{symbol} {diplotype}";
        var value = PharmVarGenes.Catalogues(symbol) ? new CodedValue([new Coding(Coding.PharmVar, text, text)], text) : new CodedValue([], text);
        return new GenotypeFinding(key, value, [gene], []);
    }
}

/// <summary>
/// Calls star alleles for a single gene the way PharmCAT's named-allele matcher does (<see cref="NamedAlleleMatcher"/>),
/// from the allele definitions in the knowledge store. The call is the best-scoring diplotype when it is the only one;
/// a tie is reported as ambiguous with every candidate, never guessed.
/// </summary>
public static class StarAlleleCaller
{
    /// <param name="genotypes">The sample's two alleles per GRCh38 position (VCF GT resolved against REF/ALT), unphased.</param>
    public static StarAlleleCall Call(AlleleDefinitionDocument definitions, IReadOnlyDictionary<long, (string First, string Second)> genotypes)
    {
        ArgumentNullException.ThrowIfNull(genotypes);
        return Call(definitions, genotypes.Select(g => SampleGenotype.Unphased(g.Key, g.Value.First, g.Value.Second)));
    }

    /// <param name="genotypes">The sample's genotypes at the gene's positions, phased or not, hemizygous or with uncalled alleles.</param>
    public static StarAlleleCall Call(AlleleDefinitionDocument definitions, IEnumerable<SampleGenotype> genotypes, StarAlleleOptions? options = null)
    {
        var result = NamedAlleleMatcher.Call(definitions, genotypes, options);
        var top = result.Diplotypes.Count == 0 ? [] : result.Diplotypes.Where(d => d.Score == result.Diplotypes[0].Score)
            .Select(d => KnowledgeIds.CanonicalDiplotype(d.Name)).Distinct(StringComparer.Ordinal).ToList();
        return new StarAlleleCall(result.Gene, top.Count == 1 ? top[0] : null, top, result.MissingPositions, result);
    }
}
