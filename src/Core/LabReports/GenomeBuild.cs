namespace PrecisionMed.Core.LabReports;

/// <summary>A human reference assembly the pipeline maps chromosomes for, with its LOINC LL1040-6 answer.</summary>
public sealed record GenomeBuild(string Name, string TableKey, string LoincAnswer)
{
    public static readonly GenomeBuild Grch37 = new("GRCh37", "b37", "LA14029-5");
    public static readonly GenomeBuild Grch38 = new("GRCh38", "b38", "LA26806-2");

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
}
