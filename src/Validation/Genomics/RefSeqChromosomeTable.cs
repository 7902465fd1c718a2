using System.Globalization;

namespace PrecisionMed.Validation.Genomics;

/// <summary>
/// The RefSeq NC_ accessions of the human chromosomes in GRCh37 and GRCh38 (NCBI's assembly reports): which chromosome
/// an NC_ accession is, and which build its version belongs to.
/// </summary>
internal static class RefSeqChromosomeTable
{
    public const string Grch37Answer = "LA14029-5";
    public const string Grch38Answer = "LA26806-2";

    // Versions of NC_000001 ... NC_000024 (chromosomes 1-22, X, Y).
    private static readonly int[] Grch37 = [10, 11, 11, 11, 9, 11, 13, 10, 11, 10, 9, 11, 10, 8, 9, 9, 10, 9, 9, 10, 8, 10, 10, 9];
    private static readonly int[] Grch38 = [11, 12, 12, 12, 10, 12, 14, 11, 12, 11, 10, 12, 11, 9, 10, 10, 11, 10, 10, 11, 9, 11, 11, 10];

    /// <summary>"1".."22", "X", "Y", "MT" for a chromosome accession (any version); null for any other sequence.</summary>
    public static string? Chromosome(string accession)
    {
        // The mitochondrion: the rCRS, and the Yoruba sequence UCSC's hg19 calls chrM.
        if (accession.StartsWith("NC_012920", StringComparison.Ordinal) || accession.StartsWith("NC_001807", StringComparison.Ordinal)) return "MT";
        if (!accession.StartsWith("NC_0000", StringComparison.Ordinal) || accession.Length < 9) return null;
        if (!int.TryParse(accession.AsSpan(7, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return null;
        return number switch
        {
            >= 1 and <= 22 => number.ToString(CultureInfo.InvariantCulture),
            23 => "X",
            24 => "Y",
            _ => null,
        };
    }

    /// <summary>The accession of a chromosome ("7", "X") in a build (its LOINC answer), or null when either is unknown.</summary>
    public static string? Accession(string buildAnswer, string chromosome)
    {
        if (chromosome == "MT") return buildAnswer is Grch37Answer or Grch38Answer ? "NC_012920.1" : null;
        var versions = buildAnswer switch
        {
            Grch37Answer => Grch37,
            Grch38Answer => Grch38,
            _ => null,
        };
        var index = chromosome switch
        {
            "X" => 23,
            "Y" => 24,
            _ => int.TryParse(chromosome, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 22 ? n : 0,
        };
        return versions is null || index == 0
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"NC_{index:000000}.{versions[index - 1]}");
    }

    /// <summary>
    /// Whether <paramref name="accession"/> is the chromosome's sequence in the build; true when the table does not know.
    /// GRCh37's mitochondrion is either the rCRS (b37's MT) or the Yoruba sequence NC_001807.4 (UCSC hg19's chrM); GRCh38's
    /// only the rCRS.
    /// </summary>
    public static bool IsOfBuild(string buildAnswer, string chromosome, string accession) =>
        Accession(buildAnswer, chromosome) is not { } expected || expected == accession
        || (buildAnswer == Grch37Answer && chromosome == "MT" && accession == "NC_001807.4");

    /// <summary>"Chromosome 7", "chr7", "7", "MT" → "7"/"MT"; null when it names no chromosome.</summary>
    public static string? Normalise(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        var text = name.Trim();
        if (text.StartsWith("Chromosome ", StringComparison.OrdinalIgnoreCase)) text = text["Chromosome ".Length..];
        if (text.StartsWith("chr", StringComparison.OrdinalIgnoreCase)) text = text[3..];
        text = text.ToUpperInvariant();
        return text switch
        {
            "M" or "MT" => "MT",
            "X" or "23" => "X",
            "Y" or "24" => "Y",
            _ => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 22 ? text : null,
        };
    }
}
