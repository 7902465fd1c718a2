using PrecisionMed.Core.Fhir.Genomics;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Vcf;

/// <summary>A human reference assembly the pipeline maps chromosomes for, with its LOINC LL1040-6 answer.</summary>
public sealed record GenomeBuild(string Name, string TableKey, string LoincAnswer)
{
    public static readonly GenomeBuild Grch37 = new("GRCh37", "b37", GenomicsCodes.Grch37);
    public static readonly GenomeBuild Grch38 = new("GRCh38", "b38", GenomicsCodes.Grch38);

    public CodedValue ToCodedValue() => new([new Coding(Coding.Loinc, LoincAnswer, Name)], Name);

    /// <summary>Recognises a build from a name as headers and lab profiles write it (GRCh38.p14, hg19, b37, hs37d5...).</summary>
    public static GenomeBuild? FromName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        var text = name.ToUpperInvariant();
        if (text.Contains("GRCH38", StringComparison.Ordinal) || text.Contains("HG38", StringComparison.Ordinal)
            || text.Contains("B38", StringComparison.Ordinal) || text.Contains("HS38", StringComparison.Ordinal))
        {
            return Grch38;
        }

        if (text.Contains("GRCH37", StringComparison.Ordinal) || text.Contains("HG19", StringComparison.Ordinal)
            || text.Contains("B37", StringComparison.Ordinal) || text.Contains("HS37", StringComparison.Ordinal)
            || text.Contains("G1K_V37", StringComparison.Ordinal) || text.Contains("NCBIB37", StringComparison.Ordinal))
        {
            return Grch37;
        }

        return null;
    }

    /// <summary>
    /// The build a header states: <c>##reference</c>, a contig's <c>assembly</c>, else chromosome 1's length
    /// (249,250,621 in GRCh37, 248,956,422 in GRCh38).
    /// </summary>
    public static GenomeBuild? FromHeader(VcfHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (FromName(header.Reference) is { } fromReference) return fromReference;
        foreach (var key in (string[])["assembly", "genome_build", "genomeBuild", "reference_genome"])
        {
            if (FromName(header.Meta.GetValueOrDefault(key)) is { } fromMeta) return fromMeta;
        }

        foreach (var contig in header.Contigs.Values)
        {
            if (FromName(contig.Assembly) is { } fromAssembly) return fromAssembly;
        }

        foreach (var contig in header.Contigs.Values)
        {
            if (RefSeqChromosomes.Normalise(contig.Id) != "1") continue;
            if (contig.Length == 249_250_621) return Grch37;
            if (contig.Length == 248_956_422) return Grch38;
        }

        return null;
    }
}
