using System.Runtime.CompilerServices;

namespace PrecisionMed.Core.Knowledge.Pharmacogenomics;

/// <summary>
/// A gene's allele definitions prepared once for matching: positions by index, each position's documented alleles,
/// the alleles in PharmCAT's order (reference first, then by name) and the gene's rules. Built once per definition
/// document and kept beside it for as long as it lives.
/// </summary>
internal sealed class GeneDefinitionIndex
{
    /// <summary>DPYD and RYR1: the lowest-function allele decides, so unphased genotypes report haplotypes, not a guess of a diplotype.</summary>
    public static readonly string[] LowestFunctionGenes = ["DPYD", "RYR1"];

    /// <summary>Genes whose undocumented alleles at a defining position PharmCAT reads as the reference.</summary>
    public static readonly string[] UndocumentedAsReferenceGenes = ["CACNA1S", "DPYD", "G6PD", "NUDT15", "RYR1", "TPMT"];

    private static readonly ConditionalWeakTable<AlleleDefinitionDocument, GeneDefinitionIndex> Cache = [];

    private GeneDefinitionIndex(AlleleDefinitionDocument definitions)
    {
        Definitions = definitions;
        Gene = definitions.Gene;
        Positions = [.. definitions.Positions.Select(p => p.Position)];
        Refs = [.. definitions.Positions.Select(p => p.Ref.ToUpperInvariant())];
        Documented = [.. definitions.Positions.Select(p => new HashSet<string>(p.Alts.Prepend(p.Ref), StringComparer.OrdinalIgnoreCase))];
        IndexOf = [];
        for (var i = 0; i < Positions.Length; i++) IndexOf[Positions[i]] = i;

        // PharmCAT's named-allele order: the reference allele first, then by name, then by id.
        Alleles = [.. definitions.Alleles
            .Where(a => !a.StructuralVariant)
            .OrderBy(a => a.Reference ? 0 : 1)
            .ThenBy(a => a.Name, HaplotypeNameComparer.Instance)
            .ThenBy(a => a.Id, StringComparer.Ordinal)];
        Reference = Array.FindIndex(Alleles, a => a.Reference);
        UpperBases = [.. Alleles.Select(a => a.Bases.Select(b => b?.ToUpperInvariant()).ToArray())];

        // What an undefined position reads as when reference is assumed: the reference allele's base, or REF where that is a code.
        Fill = new string[Positions.Length];
        for (var i = 0; i < Positions.Length; i++)
        {
            var fill = Reference >= 0 ? UpperBases[Reference][i] : null;
            Fill[i] = fill is null || Iupac.IsAmbiguity(fill) ? Refs[i] : fill;
        }
        IsLowestFunction = LowestFunctionGenes.Contains(Gene, StringComparer.OrdinalIgnoreCase);
        UndocumentedAsReference = UndocumentedAsReferenceGenes.Contains(Gene, StringComparer.OrdinalIgnoreCase);
        IsXChromosome = string.Equals(KnowledgeIds.NormaliseChromosome(definitions.Chromosome), "X", StringComparison.OrdinalIgnoreCase);
        var exemption = definitions.Exemption;
        Required = exemption is null ? [] : [.. exemption.RequiredPositions];
        Amp1 = exemption is null ? [] : [.. exemption.Amp1Positions];
    }

    public AlleleDefinitionDocument Definitions { get; }

    public string Gene { get; }

    public long[] Positions { get; }

    /// <summary>Each position's VCF REF, upper case.</summary>
    public string[] Refs { get; }

    /// <summary>Each position's REF and ALTs: a sample allele outside them is an undocumented variation.</summary>
    public HashSet<string>[] Documented { get; }

    public Dictionary<long, int> IndexOf { get; }

    /// <summary>Each allele's bases (upper case), in <see cref="Alleles"/> order.</summary>
    public string?[][] UpperBases { get; }

    /// <summary>Each position's allele for an allele that leaves it undefined, when reference is assumed.</summary>
    public string[] Fill { get; }

    /// <summary>The alleles for a sample with every position, as PharmCAT prepares them (built once, then shared by every such call).</summary>
    public List<Haplotype>? Complete { get; set; }

    /// <summary>As <see cref="Complete"/>, without assuming reference (combinations).</summary>
    public List<Haplotype>? CompleteRaw { get; set; }

    public NamedAlleleDefinition[] Alleles { get; }

    /// <summary>Index of the reference allele in <see cref="Alleles"/>, or -1 when the file has none.</summary>
    public int Reference { get; }

    public bool IsLowestFunction { get; }

    public bool UndocumentedAsReference { get; }

    public bool IsXChromosome { get; }

    public HashSet<long> Required { get; }

    public HashSet<long> Amp1 { get; }

    public static GeneDefinitionIndex For(AlleleDefinitionDocument definitions) =>
        Cache.GetValue(definitions, d => new GeneDefinitionIndex(d));
}
