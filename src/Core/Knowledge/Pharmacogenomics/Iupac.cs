namespace PrecisionMed.Core.Knowledge.Pharmacogenomics;

/// <summary>IUPAC nucleotide codes as PharmCAT's definitions use them: a one-letter code stands for every base it names.</summary>
internal static class Iupac
{
    /// <summary>The bases a one-letter code stands for, or null for a code that is not an ambiguity (A, C, G, T).</summary>
    public static string? BasesOf(char code) => char.ToUpperInvariant(code) switch
    {
        'R' => "AG",
        'Y' => "CT",
        'S' => "GC",
        'W' => "AT",
        'K' => "GT",
        'M' => "AC",
        'B' => "CGT",
        'D' => "AGT",
        'H' => "ACT",
        'V' => "ACG",
        'N' => "ACGT",
        _ => null,
    };

    public static bool IsAmbiguity(string? allele) => allele is { Length: 1 } && BasesOf(allele[0]) is not null;

    /// <summary>Whether a defined allele accepts the sample's (a multi-base allele only itself; a code any base it names).</summary>
    public static bool Accepts(string expected, string? sample)
    {
        if (sample is null) return false;
        if (expected.Length == 1 && sample.Length == 1 && BasesOf(expected[0]) is { } bases) return bases.Contains(sample[0], StringComparison.Ordinal);
        return string.Equals(expected, sample, StringComparison.Ordinal);
    }
}
