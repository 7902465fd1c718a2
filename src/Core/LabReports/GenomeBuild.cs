namespace PrecisionMed.Core.LabReports;

/// <summary>A human reference assembly the pipeline maps chromosomes for, with its LOINC LL1040-6 answer.</summary>
public sealed record GenomeBuild(string Name, string TableKey, string LoincAnswer)
{
    public static readonly GenomeBuild Grch37 = new("GRCh37", "b37", "LA14029-5");
    public static readonly GenomeBuild Grch38 = new("GRCh38", "b38", "LA26806-2");

    // Whole words of a name (split at anything not a letter or digit), as headers, file names and lab profiles write them.
    private static readonly HashSet<string> Grch38Words = new(["GRCH38", "HG38", "B38", "HS38", "HS38D1", "HS38DH", "BUILD38", "NCBI38"], StringComparer.Ordinal);
    private static readonly HashSet<string> Grch37Words = new(["GRCH37", "HG19", "B37", "HS37", "HS37D5", "NCBIB37", "BUILD37", "NCBI37"], StringComparer.Ordinal);

    public CodedValue ToCodedValue() => new([new Coding(Coding.Loinc, LoincAnswer, Name)], Name);

    /// <summary>
    /// Recognises a build from a name as headers and lab profiles write it: GRCh38.p14, hg38, b38, hs38DH, Broad's
    /// Homo_sapiens_assembly38; GRCh37.p13, GRCh37-lite, hg19 (ucsc.hg19.fasta), b37, hs37d5, 1000 Genomes' human_g1k_v37,
    /// Broad's Homo_sapiens_assembly19; Complete Genomics' build37.fa, NCBI's "Build 37". Only whole words count (a "b37" inside another word is none), and a name that
    /// names both builds (a liftover chain's, say) names neither.
    /// </summary>
    public static GenomeBuild? FromName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        var words = Words(name);
        var (is37, is38) = (false, false);
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            var previous = i > 0 ? words[i - 1] : "";
            is38 |= Grch38Words.Contains(word) || IsGrcName(word, "GRCH38") || (word == "ASSEMBLY38" && previous == "SAPIENS")
                || (word == "38" && previous == "BUILD");
            is37 |= Grch37Words.Contains(word) || IsGrcName(word, "GRCH37") || (word == "ASSEMBLY19" && previous == "SAPIENS")
                || (word == "V37" && previous == "G1K") || (word == "37" && previous == "BUILD");
        }

        return is37 == is38 ? null : is38 ? Grch38 : Grch37;
    }

    /// <summary>GRCh37lite, GRCh38DH: the GRC's name followed by letters (not by more digits).</summary>
    private static bool IsGrcName(string word, string grc) =>
        word.StartsWith(grc, StringComparison.Ordinal) && (word.Length == grc.Length || !char.IsAsciiDigit(word[grc.Length]));

    private static List<string> Words(string name)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= name.Length; i++)
        {
            var inWord = i < name.Length && char.IsAsciiLetterOrDigit(name[i]);
            if (inWord && start < 0) start = i;
            if (inWord || start < 0) continue;
            words.Add(name[start..i].ToUpperInvariant());
            start = -1;
        }

        return words;
    }
}
