using System.Globalization;
using System.Text.RegularExpressions;
using PrecisionMed.Core.Genomics.Index;

namespace PrecisionMed.Core.Genomics.Operations;

/// <summary>A region in the IG's zero-based RefSeq:Integer-range form, <c>NC_000019.9:11200138-11244496</c> (half-open).</summary>
public sealed partial record GenomicRange(string Text, string Accession, long Start, long End)
{
    public static bool TryParse(string text, out GenomicRange range, out string reason)
    {
        range = null!;
        var match = Pattern().Match((text ?? string.Empty).Trim());
        if (!match.Success)
        {
            reason = "not a range in zero-based RefSeq:Integer-range form (NC_000007.14:55174721-55174820)";
            return false;
        }

        if (!long.TryParse(match.Groups["start"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            || !long.TryParse(match.Groups["end"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var end))
        {
            reason = "a position is too large";
            return false;
        }

        if (end <= start)
        {
            reason = "the range's end is not after its start";
            return false;
        }

        range = new GenomicRange(match.Value, match.Groups["acc"].Value, start, end);
        reason = string.Empty;
        return true;
    }

    /// <summary>The variant's extent: the outer range of a structural variant, else start to end (an insertion as one base).</summary>
    public static (long Start, long End)? ExtentOf(IndexedVariant variant)
    {
        ArgumentNullException.ThrowIfNull(variant);
        if ((variant.OuterStart ?? variant.Start) is not { } start) return null;
        var end = variant.OuterEnd ?? variant.End ?? start + 1;
        return (start, Math.Max(end, start + 1));
    }

    private bool SameAccession(IndexedVariant variant) => string.Equals(variant.ChromosomeAccession, Accession, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the variant overlaps the range (same accession, so same build).</summary>
    public bool Intersects(IndexedVariant variant) =>
        SameAccession(variant) && ExtentOf(variant) is { } extent && extent.Start < End && Start < extent.End;

    /// <summary>Whether the variant's extent contains the whole range.</summary>
    public bool IsSubsumedBy(IndexedVariant variant) =>
        SameAccession(variant) && ExtentOf(variant) is { } extent && extent.Start <= Start && End <= extent.End;

    /// <summary>Whether the region (<c>NC_...:start-end</c>, as the index keeps regions studied) overlaps the range.</summary>
    public bool Overlaps(string region) =>
        TryParse(region, out var other, out _) && string.Equals(other.Accession, Accession, StringComparison.OrdinalIgnoreCase)
        && other.Start < End && Start < other.End;

    [GeneratedRegex(@"^(?<acc>N[CGTW]_\d+\.\d+):(?<start>\d{1,18})-(?<end>\d{1,18})$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
