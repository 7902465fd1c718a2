using System.Buffers.Text;
using System.Text;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Vcf;

/// <summary>
/// A sample's genotypes at the defining positions of the pharmacogenes the knowledge store calls star alleles for
/// (<see cref="IVariantKnowledge.PharmacogenePositionsAsync"/>), collected while the file streams (reference calls
/// included: a 0/0 there is evidence, unlike elsewhere), with their phasing, phase sets, uncalled alleles and ploidy as
/// the file states them. Enrichment calls the diplotypes from them.
/// </summary>
internal sealed class PharmacogeneGenotypes
{
    private readonly IReadOnlyList<PharmacogenePositions> _genes;
    private readonly Dictionary<(string Chromosome, long Position), int[]> _genesAt = [];
    private readonly List<PharmacogeneGenotype>[] _genotypes;
    private readonly bool _male;
    private readonly int[] _alleles = new int[VcfGenotype.MaxPloidy];
    private readonly bool[] _phased = new bool[VcfGenotype.MaxPloidy];
    private string? _lastChromosome;
    private string? _lastNormalised;

    /// <param name="male">The sample is a male's (<see cref="VcfOptions.SampleSex"/>): a homozygous diploid call on X off the
    /// pseudo-autosomal regions is his one allele, as the variant path reads it.</param>
    public PharmacogeneGenotypes(IReadOnlyList<PharmacogenePositions> genes, bool male = false)
    {
        _genes = genes;
        _male = male;
        _genotypes = new List<PharmacogeneGenotype>[genes.Count];
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

    /// <summary>Keeps the sample's call when the record sits at a defining position and its GT calls one or two alleles.</summary>
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
        if (Genotype(record, sample) is not { } genotype) return;
        foreach (var gene in genes)
        {
            var calls = _genotypes[gene];
            // A position written twice (a multi-allelic site split over lines) keeps its first call, as the matcher reads one.
            if (calls.Count == 0 || calls[^1].Position != record.Position) calls.Add(genotype);
        }
    }

    private PharmacogeneGenotype? Genotype(VcfRecord record, int sample)
    {
        var gtIndex = record.FormatIndex("GT"u8);
        if (gtIndex < 0) return null;
        var ploidy = VcfGenotype.Parse(record.SampleValue(sample, gtIndex), _alleles, _phased);
        if (ploidy is not (1 or 2) || (_alleles[0] < 0 && (ploidy == 1 || _alleles[1] < 0))) return null;
        if (Allele(record, _alleles[0]) is not { } first) return null;
        if (ploidy == 1) return new PharmacogeneGenotype(record.Position, first, null, Phased: true);
        if (Allele(record, _alleles[1]) is not { } second) return null;
        if (_male && _alleles[0] == _alleles[1] && _lastNormalised == "X") return new PharmacogeneGenotype(record.Position, first, null, Phased: true);
        var phased = _phased[1];
        return new PharmacogeneGenotype(record.Position, first, second, phased, phased ? PhaseSet(record, sample) : null);
    }

    private static int? PhaseSet(VcfRecord record, int sample)
    {
        var ps = record.SampleValue(sample, record.FormatIndex("PS"u8));
        return !ps.IsEmpty && Utf8Parser.TryParse(ps, out int set, out var used) && used == ps.Length ? set : null;
    }

    private static string? Allele(VcfRecord record, int index)
    {
        if (index < 0) return PharmacogeneGenotype.Uncalled;
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
