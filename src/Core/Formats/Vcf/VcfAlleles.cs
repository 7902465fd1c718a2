using System.Globalization;

namespace PrecisionMed.Core.Formats.Vcf;

/// <summary>A simple (sequence) variant after the shared prefix and suffix are trimmed, VCF-style (one anchor base kept).</summary>
public sealed record NormalisedAlleles(long Position, string Ref, string Alt)
{
    public long End => Position + Ref.Length - 1;
}

/// <summary>Allele normalisation, change type and g.HGVS for simple variants: pure functions over the VCF's own bases.</summary>
public static class VcfAlleles
{
    /// <summary>REF/ALT made only of A, C, G, T, N (any case): a sequence allele.</summary>
    public static bool IsSequence(ReadOnlySpan<byte> allele)
    {
        if (allele.IsEmpty) return false;
        foreach (var b in allele)
        {
            if ((b | 0x20) is not ((byte)'a' or (byte)'c' or (byte)'g' or (byte)'t' or (byte)'n')) return false;
        }

        return true;
    }

    /// <summary>Trims the shared suffix, then the shared prefix, keeping at least one base of each allele.</summary>
    public static NormalisedAlleles Normalise(long position, string reference, string alternate)
    {
        var r = reference.ToUpperInvariant();
        var a = alternate.ToUpperInvariant();
        var suffix = 0;
        while (suffix < r.Length - 1 && suffix < a.Length - 1 && r[r.Length - 1 - suffix] == a[a.Length - 1 - suffix]) suffix++;
        r = r[..^suffix];
        a = a[..^suffix];
        var prefix = 0;
        while (prefix < r.Length - 1 && prefix < a.Length - 1 && r[prefix] == a[prefix]) prefix++;
        return new NormalisedAlleles(position + prefix, r[prefix..], a[prefix..]);
    }

    /// <summary>Sequence Ontology change type of a normalised simple variant: (code, display).</summary>
    public static (string Code, string Display) ChangeType(NormalisedAlleles alleles)
    {
        ArgumentNullException.ThrowIfNull(alleles);
        var (r, a) = (alleles.Ref, alleles.Alt);
        if (r.Length == 1 && a.Length == 1) return ("SO:0001483", "SNV");
        if (r.Length == a.Length) return ("SO:0002007", "MNV");
        if (a.Length == 1 && r[0] == a[0]) return ("SO:0000159", "deletion");
        if (r.Length == 1 && r[0] == a[0]) return ("SO:0000667", "insertion");
        return ("SO:1000032", "delins");
    }

    /// <summary>
    /// The genomic HGVS expression on <paramref name="accession"/> (substitution, del, ins, delins). Without the
    /// reference sequence around the variant, repeats are not shifted 3' nor written as dup.
    /// </summary>
    public static string GenomicHgvs(string accession, NormalisedAlleles alleles)
    {
        ArgumentNullException.ThrowIfNull(alleles);
        var (r, a, p) = (alleles.Ref, alleles.Alt, alleles.Position);
        // Drop the VCF anchor base: HGVS names only the changed bases.
        if (r.Length > 0 && a.Length > 0 && r[0] == a[0] && r.Length != a.Length)
        {
            r = r[1..];
            a = a[1..];
            p++;
        }

        var end = p + r.Length - 1;
        var change = (r.Length, a.Length) switch
        {
            (1, 1) => string.Create(CultureInfo.InvariantCulture, $"{p}{r}>{a}"),
            (_, 0) => r.Length == 1 ? string.Create(CultureInfo.InvariantCulture, $"{p}del") : string.Create(CultureInfo.InvariantCulture, $"{p}_{end}del"),
            (0, _) => string.Create(CultureInfo.InvariantCulture, $"{p - 1}_{p}ins{a}"),
            _ => r.Length == 1 ? string.Create(CultureInfo.InvariantCulture, $"{p}delins{a}") : string.Create(CultureInfo.InvariantCulture, $"{p}_{end}delins{a}"),
        };
        return $"{accession}:g.{change}";
    }
}
