using System.Collections.Frozen;

namespace PrecisionMed.Core.LabReports;

/// <summary>
/// Chromosome name to RefSeq NC_ accession per build, from PharmCAT's chr_build_mapping.tsv (MPL-2.0, embedded):
/// the IG's genomic-ref-seq wants the accession, never a bare "chr1".
/// </summary>
public static class RefSeqChromosomes
{
    private static readonly FrozenDictionary<(string Build, string Chromosome), string> Accessions = Load();

    // GRC's PAR coordinates (the PARs lie at different positions on Y than on X).
    private static readonly (long Start, long End)[] Grch38X = [(10_001, 2_781_479), (155_701_383, 156_030_895)];
    private static readonly (long Start, long End)[] Grch38Y = [(10_001, 2_781_479), (56_887_903, 57_217_415)];
    private static readonly (long Start, long End)[] Grch37X = [(60_001, 2_699_520), (154_931_044, 155_260_560)];
    private static readonly (long Start, long End)[] Grch37Y = [(10_001, 2_649_520), (59_034_050, 59_363_566)];

    /// <summary>
    /// The NC_ accession of a chromosome name ("chr1", "1", "chrM", "MT", "X"...) in a build, or null. GRCh37's
    /// mitochondrion only by the name "MT" (the rCRS, NC_012920.1): UCSC's hg19 calls GRCh37 "chrM" but its chrM is the
    /// Yoruba sequence (NC_001807.4), so "chrM" or "M" alone does not say which (a VCF's header may: VcfMitochondrion).
    /// </summary>
    public static string? Accession(GenomeBuild build, string chromosome)
    {
        ArgumentNullException.ThrowIfNull(build);
        var name = Normalise(chromosome);
        if (name == "MT" && build.TableKey == GenomeBuild.Grch37.TableKey && chromosome.Trim() != "MT") return null;
        return Accessions.GetValueOrDefault((build.TableKey, name));
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

    /// <summary>
    /// Whether a position on X or Y lies in a pseudo-autosomal region (GRC's PAR1 and PAR2, 1-based inclusive), where
    /// a male has two copies. Without a build, a position in either build's PARs counts: calling a call hemizygous
    /// that is not would be the worse mistake.
    /// </summary>
    public static bool IsPseudoautosomal(GenomeBuild? build, string chromosome, long position)
    {
        var name = Normalise(chromosome);
        if (name is not ("X" or "Y")) return false;
        if (build is null) return IsPseudoautosomal(GenomeBuild.Grch37, name, position) || IsPseudoautosomal(GenomeBuild.Grch38, name, position);
        var regions = (build.Name, name) switch
        {
            ("GRCh38", "X") => Grch38X,
            ("GRCh38", _) => Grch38Y,
            (_, "X") => Grch37X,
            _ => Grch37Y,
        };
        foreach (var (start, end) in regions)
        {
            if (position >= start && position <= end) return true;
        }

        return false;
    }

    private static FrozenDictionary<(string, string), string> Load()
    {
        using var stream = typeof(RefSeqChromosomes).Assembly.GetManifestResourceStream("PrecisionMed.Core.LabReports.pharmcat_chr_build_mapping.tsv")
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
