using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Vcf;

/// <summary>The genome build a VCF's header states.</summary>
internal static class VcfHeaderBuild
{
    /// <summary>
    /// The build a header states: <c>##reference</c>, a contig's <c>assembly</c>, else chromosome 1's length
    /// (249,250,621 in GRCh37, 248,956,422 in GRCh38).
    /// </summary>
    public static GenomeBuild? Of(VcfHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (GenomeBuild.FromName(header.Reference) is { } fromReference) return fromReference;
        foreach (var key in (string[])["assembly", "genome_build", "genomeBuild", "reference_genome"])
        {
            if (GenomeBuild.FromName(header.Meta.GetValueOrDefault(key)) is { } fromMeta) return fromMeta;
        }

        foreach (var contig in header.Contigs.Values)
        {
            if (GenomeBuild.FromName(contig.Assembly) is { } fromAssembly) return fromAssembly;
        }

        foreach (var contig in header.Contigs.Values)
        {
            if (RefSeqChromosomes.Normalise(contig.Id) != "1") continue;
            if (contig.Length == 249_250_621) return GenomeBuild.Grch37;
            if (contig.Length == 248_956_422) return GenomeBuild.Grch38;
        }

        return null;
    }
}
