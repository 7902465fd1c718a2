using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Vcf;

/// <summary>
/// Which sequence a GRCh37 VCF's mitochondrion is. GRCh37's own is the rCRS (NC_012920.1, 16,569 bp, named MT in b37,
/// hs37d5, human_g1k_v37); UCSC's hg19, which is GRCh37 for the nuclear chromosomes, has the Yoruba sequence as chrM
/// (NC_001807.4, 16,571 bp). Positions and alleles differ between the two, so a call is only placed on one the header
/// tells apart; GRCh38 and hg38 both use the rCRS.
/// </summary>
internal static class VcfMitochondrion
{
    public const string Rcrs = "NC_012920.1";
    public const string Yoruba = "NC_001807.4";

    /// <summary>
    /// The accession of GRCh37 mitochondrial CHROM <paramref name="chromosome"/>: the length the header states for it (or
    /// for its only mitochondrial contig) decides, 16,569 the rCRS, 16,571 the Yoruba sequence, any other neither; without
    /// one, the name: MT as in b37, chrM in a header whose contigs are all UCSC-style ("chr..."). Null when nothing tells.
    /// </summary>
    public static string? Grch37Accession(VcfHeader header, string chromosome)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (Length(header, chromosome) is { } length) return length switch
        {
            16_569 => Rcrs,
            16_571 => Yoruba,
            _ => null,
        };

        if (chromosome == "MT") return Rcrs;
        var ucscStyle = header.Contigs.Count > 0 && header.Contigs.Keys.All(id => id.StartsWith("chr", StringComparison.Ordinal));
        return chromosome == "chrM" && ucscStyle ? Yoruba : null;
    }

    private static long? Length(VcfHeader header, string chromosome)
    {
        if (header.Contigs.GetValueOrDefault(chromosome)?.Length is { } own) return own;
        var lengths = header.Contigs.Values.Where(c => RefSeqChromosomes.IsMitochondrial(c.Id)).Select(c => c.Length).Distinct().ToList();
        return lengths.Count == 1 ? lengths[0] : null;
    }

    /// <summary>Why a GRCh37 mitochondrial CHROM's calls are not reported: the reason listed with its first record.</summary>
    public static string UnknownReason(VcfHeader header, string chromosome) =>
        Length(header, chromosome) is not null
            ? "CHROM is GRCh37's mitochondrion but its ##contig length is neither the rCRS's (16569, NC_012920.1) nor UCSC hg19's "
                + "(16571, NC_001807.4): its calls are not reported rather than placed on a guessed sequence"
            : "CHROM is GRCh37's mitochondrion, but neither a ##contig length nor its name (MT; chrM among UCSC-style contigs) tells "
                + "the rCRS (NC_012920.1) from UCSC hg19's sequence (NC_001807.4): its calls are not reported rather than placed on a guessed sequence";

    public static bool Applies(GenomeBuild? build, string chromosome) =>
        build == GenomeBuild.Grch37 && RefSeqChromosomes.IsMitochondrial(chromosome);
}
