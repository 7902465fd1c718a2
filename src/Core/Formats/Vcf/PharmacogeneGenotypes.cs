using System.Text;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Vcf;

/// <summary>
/// A sample's genotypes at the defining positions of the pharmacogenes the knowledge store calls star alleles for
/// (<see cref="IVariantKnowledge.PharmacogenePositionsAsync"/>), collected while the file streams (reference calls
/// included: a 0/0 there is evidence, unlike elsewhere). Enrichment calls the diplotypes from them.
/// </summary>
internal sealed class PharmacogeneGenotypes
{
    private readonly IReadOnlyList<PharmacogenePositions> _genes;
    private readonly Dictionary<(string Chromosome, long Position), int[]> _genesAt = [];
    private readonly Dictionary<long, (string First, string Second)>[] _genotypes;
    private readonly int[] _alleles = new int[VcfGenotype.MaxPloidy];
    private readonly bool[] _phased = new bool[VcfGenotype.MaxPloidy];
    private string? _lastChromosome;
    private string? _lastNormalised;

    public PharmacogeneGenotypes(IReadOnlyList<PharmacogenePositions> genes)
    {
        _genes = genes;
        _genotypes = new Dictionary<long, (string, string)>[genes.Count];
        for (var gene = 0; gene < genes.Count; gene++)
        {
            _genotypes[gene] = [];
            var chromosome = RefSeqChromosomes.Normalise(genes[gene].Chromosome);
            foreach (var position in genes[gene].Positions)
            {
                var key = (chromosome, position);
                _genesAt[key] = _genesAt.TryGetValue(key, out var at) ? [.. at, gene] : [gene];
            }
        }
    }

    public bool IsEmpty => _genes.Count == 0;

    /// <summary>Keeps the sample's two bases when the record sits at a defining position and its call is diploid and complete.</summary>
    public void Collect(VcfRecord record, string chromosome, int sample)
    {
        if (!ReferenceEquals(chromosome, _lastChromosome))
        {
            // Records come sorted and the caller hands the same string for a chromosome's records: normalising it per
            // record allocated twice a record, most of a large file's garbage.
            _lastChromosome = chromosome;
            _lastNormalised = RefSeqChromosomes.Normalise(chromosome);
        }

        if (!_genesAt.TryGetValue((_lastNormalised!, record.Position), out var genes)) return;
        var gtIndex = record.FormatIndex("GT"u8);
        if (gtIndex < 0) return;
        if (VcfGenotype.Parse(record.SampleValue(sample, gtIndex), _alleles, _phased) != 2 || _alleles[0] < 0 || _alleles[1] < 0) return;
        if (Allele(record, _alleles[0]) is not { } first || Allele(record, _alleles[1]) is not { } second) return;
        foreach (var gene in genes) _genotypes[gene][record.Position] = (first, second);
    }

    private static string? Allele(VcfRecord record, int index)
    {
        if (index == 0) return Encoding.UTF8.GetString(record.Ref).ToUpperInvariant();
        return index <= record.AltCount ? Encoding.UTF8.GetString(record.AltAllele(index - 1)).ToUpperInvariant() : null;
    }

    /// <summary>Per gene the file has a genotype of, in the store's order, the genotypes kept.</summary>
    public List<ObservedPharmacogene> Observed()
    {
        var observed = new List<ObservedPharmacogene>();
        for (var gene = 0; gene < _genes.Count; gene++)
        {
            if (_genotypes[gene].Count > 0) observed.Add(new ObservedPharmacogene(_genes[gene].Gene, _genotypes[gene]));
        }

        return observed;
    }
}
