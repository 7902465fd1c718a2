using System.Globalization;
using System.Text;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Pharmacogenomics;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Vcf;

/// <summary>
/// A sample's genotypes at the defining positions of the pharmacogenes the store has allele definitions for,
/// collected while the file streams (reference calls included: a 0/0 there is evidence, unlike elsewhere), and the
/// star-allele calls they give at the end. A gene the file has no position of is not called; an ambiguous call is
/// reported as a problem naming every candidate, never guessed.
/// </summary>
internal sealed class PharmacogeneGenotypes
{
    private readonly IReadOnlyList<AlleleDefinitionDocument> _definitions;
    private readonly Dictionary<(string Chromosome, long Position), int[]> _genesAt = [];
    private readonly Dictionary<long, (string First, string Second)>[] _genotypes;
    private readonly int[] _alleles = new int[VcfGenotype.MaxPloidy];
    private readonly bool[] _phased = new bool[VcfGenotype.MaxPloidy];
    private string? _lastChromosome;
    private string? _lastNormalised;

    public PharmacogeneGenotypes(IReadOnlyList<AlleleDefinitionDocument> definitions)
    {
        _definitions = definitions;
        _genotypes = new Dictionary<long, (string, string)>[definitions.Count];
        for (var gene = 0; gene < definitions.Count; gene++)
        {
            _genotypes[gene] = [];
            var chromosome = RefSeqChromosomes.Normalise(definitions[gene].Chromosome);
            foreach (var position in definitions[gene].Positions)
            {
                var key = (chromosome, position.Position);
                _genesAt[key] = _genesAt.TryGetValue(key, out var genes) ? [.. genes, gene] : [gene];
            }
        }
    }

    public bool IsEmpty => _definitions.Count == 0;

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

    /// <summary>
    /// The called genotypes; for the clinician, a report note per gene the file covers that was called from part of
    /// its positions or could not be called; for the ledger, the same without the genotypes (no results in it).
    /// </summary>
    public (List<GenotypeFinding> Genotypes, List<string> Notes, List<LabFileProblem> Problems) Call()
    {
        var genotypes = new List<GenotypeFinding>();
        var notes = new List<string>();
        var problems = new List<LabFileProblem>();
        for (var gene = 0; gene < _definitions.Count; gene++)
        {
            if (_genotypes[gene].Count == 0) continue;
            var definitions = _definitions[gene];
            var symbol = definitions.Gene;
            var call = StarAlleleCaller.Call(definitions, _genotypes[gene]);
            var missing = call.MissingPositions.Count == 0 ? string.Empty
                : string.Create(CultureInfo.InvariantCulture, $"; {call.MissingPositions.Count} of its {definitions.Positions.Count} defining positions are not in the file and were not assumed reference");
            if (call.ToGenotype($"pgx:{symbol}", new CodedValue([], symbol)) is { } genotype)
            {
                genotypes.Add(genotype);
                if (missing.Length == 0) continue;
                notes.Add($"{symbol} {call.Diplotype} was called from the VCF genotypes{missing}.");
                problems.Add(new LabFileProblem(SourcePosition.None, $"{symbol} was called from part of its positions{missing}"));
            }
            else if (call.Ambiguous)
            {
                notes.Add($"{symbol} was not called: the diplotypes {string.Join(", ", call.Candidates)} fit the VCF genotypes equally well{missing}.");
                problems.Add(new LabFileProblem(SourcePosition.None, string.Create(CultureInfo.InvariantCulture,
                    $"{symbol} is ambiguous and was not called ({call.Candidates.Count} diplotypes fit equally well){missing}")));
            }
            else
            {
                notes.Add($"{symbol} was not called: no diplotype of its allele definitions fits the VCF genotypes{missing}.");
                problems.Add(new LabFileProblem(SourcePosition.None, $"{symbol}: no diplotype of its allele definitions fits the genotypes{missing}"));
            }
        }

        return (genotypes, notes, problems);
    }
}
