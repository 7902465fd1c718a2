using System.Globalization;

namespace PrecisionMed.Core.Genomics.Index;

/// <summary>
/// SPDI (<c>sequence:position:deletion:insertion</c>, 0-based) with the alleles trimmed of what they share, first at the
/// end then at the start, so one variant written as a VCF row (<c>GA&gt;G</c>) or as HGVS (<c>del A</c>) has one key.
/// (Full normalisation shifts indels through repeats, which needs the reference sequence; the index does not hold it.)
/// </summary>
public static class Spdi
{
    /// <summary>The trimmed SPDI, or null when the accession, position or alleles are not known.</summary>
    public static string? Of(string? accession, long? start, string? reference, string? alternate)
    {
        if (string.IsNullOrWhiteSpace(accession) || start is not { } position || reference is null || alternate is null) return null;
        var (at, deleted, inserted) = Trim(position, reference.ToUpperInvariant(), alternate.ToUpperInvariant());
        return string.Create(CultureInfo.InvariantCulture, $"{accession.Trim()}:{at}:{deleted}:{inserted}");
    }

    /// <summary>The alleles without their shared suffix, then their shared prefix (the position moves past it).</summary>
    public static (long Position, string Deleted, string Inserted) Trim(long position, string deleted, string inserted)
    {
        var suffix = 0;
        while (suffix < deleted.Length && suffix < inserted.Length && deleted[^(suffix + 1)] == inserted[^(suffix + 1)]) suffix++;
        deleted = deleted[..^suffix];
        inserted = inserted[..^suffix];
        var prefix = 0;
        while (prefix < deleted.Length && prefix < inserted.Length && deleted[prefix] == inserted[prefix]) prefix++;
        return (position + prefix, deleted[prefix..], inserted[prefix..]);
    }
}
