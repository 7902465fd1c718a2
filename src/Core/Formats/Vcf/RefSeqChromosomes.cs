using System.Collections.Frozen;

namespace PrecisionMed.Core.Formats.Vcf;

/// <summary>
/// Chromosome name to RefSeq NC_ accession per build, from PharmCAT's chr_build_mapping.tsv (MPL-2.0, embedded):
/// the IG's genomic-ref-seq wants the accession, never a bare "chr1".
/// </summary>
public static class RefSeqChromosomes
{
    private static readonly FrozenDictionary<(string Build, string Chromosome), string> Accessions = Load();

    /// <summary>The NC_ accession of a VCF chromosome name ("chr1", "1", "chrM", "MT", "X"...) in a build, or null.</summary>
    public static string? Accession(GenomeBuild build, string chromosome)
    {
        ArgumentNullException.ThrowIfNull(build);
        return Accessions.GetValueOrDefault((build.TableKey, Normalise(chromosome)));
    }

    /// <summary>"chr1" and "1" name the same chromosome; M, MT and chrM the mitochondrion.</summary>
    public static string Normalise(string chromosome)
    {
        ArgumentNullException.ThrowIfNull(chromosome);
        var name = chromosome.StartsWith("chr", StringComparison.OrdinalIgnoreCase) ? chromosome[3..] : chromosome;
        name = name.ToUpperInvariant();
        return name switch
        {
            "M" => "MT",
            "23" => "X",
            "24" => "Y",
            _ => name,
        };
    }

    public static bool IsMitochondrial(string chromosome) => Normalise(chromosome) == "MT";

    public static bool IsSexChromosome(string chromosome) => Normalise(chromosome) is "X" or "Y";

    private static FrozenDictionary<(string, string), string> Load()
    {
        using var stream = typeof(RefSeqChromosomes).Assembly.GetManifestResourceStream("PrecisionMed.Core.Formats.Vcf.pharmcat_chr_build_mapping.tsv")
            ?? throw new InvalidOperationException("The embedded chromosome mapping is missing from the build.");
        using var reader = new StreamReader(stream);
        var map = new Dictionary<(string, string), string>();
        while (reader.ReadLine() is { } line)
        {
            var columns = line.Split('\t');
            if (columns.Length >= 4 && columns[3].StartsWith("NC_", StringComparison.Ordinal)) map[(columns[0], columns[1])] = columns[3];
        }

        return map.ToFrozenDictionary();
    }
}
