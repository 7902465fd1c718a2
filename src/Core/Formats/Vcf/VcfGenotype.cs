using System.Buffers.Text;

namespace PrecisionMed.Core.Formats.Vcf;

/// <summary>
/// A parsed GT value: allele indexes (0 = REF, -1 = missing '.') and, per allele, whether it is phased
/// to the one before it. Handles haploid, diploid and polyploid calls, and VCF 4.4's optional leading
/// phasing indicator (<c>/0|1</c>, <c>|0</c>); a 4.4 haploid call is phased implicitly.
/// </summary>
public static class VcfGenotype
{
    /// <summary>The most alleles a call may have here (the span callers pass).</summary>
    public const int MaxPloidy = 16;

    /// <summary>
    /// Parses <paramref name="gt"/> into <paramref name="alleles"/> and <paramref name="phased"/>; returns the ploidy,
    /// 0 for an empty value, or -1 when the value is not a genotype.
    /// </summary>
    public static int Parse(ReadOnlySpan<byte> gt, Span<int> alleles, Span<bool> phased)
    {
        if (gt.IsEmpty) return 0;
        var count = 0;
        var i = 0;
        var leading = gt[0] is (byte)'/' or (byte)'|';
        var nextPhased = leading && gt[0] == (byte)'|';
        if (leading) i = 1;
        while (true)
        {
            if (count == alleles.Length || i >= gt.Length) return -1;
            if (gt[i] == (byte)'.')
            {
                alleles[count] = -1;
                i++;
            }
            else
            {
                if (!Utf8Parser.TryParse(gt[i..], out int allele, out var used) || used == 0 || allele < 0 || !char.IsAsciiDigit((char)gt[i])) return -1;
                alleles[count] = allele;
                i += used;
            }

            phased[count] = nextPhased;
            count++;
            if (i == gt.Length) break;
            if (gt[i] is not ((byte)'/' or (byte)'|')) return -1;
            nextPhased = gt[i] == (byte)'|';
            i++;
        }

        // Without a prefix the first allele takes the phasing of the next separator (4.4 implicit phasing).
        if (!leading) phased[0] = count == 1 || phased[1];
        return count;
    }

    /// <summary>True when every allele of the call is phased.</summary>
    public static bool IsPhased(ReadOnlySpan<bool> phased)
    {
        foreach (var p in phased)
        {
            if (!p) return false;
        }

        return true;
    }
}
