using System.Globalization;
using System.Text.RegularExpressions;

namespace PrecisionMed.Core.Genomics.Operations;

/// <summary>
/// A variant an operation asks about. A genomic one (SPDI or <c>NC_...:g.</c> HGVS) is held as SPDI: the chromosome
/// accession (whose version is the build), a 0-based start, the exclusive end and the alleles, with a common suffix and
/// prefix of the alleles trimmed so that SPDI and HGVS spelling one change compare equal. Any other HGVS (transcript,
/// protein) is kept as text and matched against the HGVS the variant Observations carry.
/// </summary>
/// <param name="Text">The value as given.</param>
/// <param name="Ref">The reference allele, or null when only its length is known (<c>123_125del</c>, SPDI's numeric deletion).</param>
public sealed partial record GenomicVariant(string Text, string? Accession, long Start, long End, string? Ref, string? Alt)
{
    /// <summary>Whether it has a position (SPDI or genomic HGVS) rather than only a description to compare as text.</summary>
    public bool IsGenomic => Alt is not null;

    /// <summary>Parses SPDI (<c>NC_000001.10:11796321:G:A</c>, <c>NC_000001.10:100::T</c>, <c>NC_000001.10:100:2:</c>) or HGVS.</summary>
    public static bool TryParse(string text, out GenomicVariant variant, out string reason)
    {
        variant = null!;
        var value = (text ?? string.Empty).Trim();
        var spdi = Spdi().Match(value);
        if (spdi.Success)
        {
            var deleted = spdi.Groups["del"].Value.ToUpperInvariant();
            var alt = spdi.Groups["ins"].Value.ToUpperInvariant();
            var numeric = deleted.Length > 0 && char.IsAsciiDigit(deleted[0]);
            var deletedCount = 0L;
            if (!Position(spdi.Groups["pos"].Value, out var start, out reason) || (numeric && !Position(deleted, out deletedCount, out reason))) return false;
            variant = numeric
                ? new GenomicVariant(value, spdi.Groups["acc"].Value, start, start + deletedCount, null, alt)
                : Trimmed(value, spdi.Groups["acc"].Value, start, deleted, alt);
            return true;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon + 2 >= value.Length || value[colon + 2] != '.')
        {
            reason = "not a variant in SPDI (accession:position:deleted:inserted) or HGVS (accession:g./c./p. change) form";
            return false;
        }

        var accession = value[..colon];
        if (value[colon + 1] is not ('g' or 'G'))
        {
            variant = new GenomicVariant(value, accession, 0, 0, null, null);
            reason = string.Empty;
            return true;
        }

        return TryParseGenomicHgvs(value, accession, value[(colon + 3)..], out variant, out reason);
    }

    /// <summary>Whether this names the same change as an indexed variant (same accession and version, so same build).</summary>
    public bool Matches(Index.IndexedVariant indexed)
    {
        ArgumentNullException.ThrowIfNull(indexed);
        if (!IsGenomic) return indexed.Hgvs.Any(SameHgvs);
        if (indexed.Hgvs.Any(h => string.Equals(h, Text, StringComparison.OrdinalIgnoreCase))) return true;
        if (indexed.ChromosomeAccession is null || indexed.Start is not { } start || indexed.Alt is null
            || !string.Equals(indexed.ChromosomeAccession, Accession, StringComparison.OrdinalIgnoreCase)) return false;
        var other = indexed.Ref is null
            ? new GenomicVariant(string.Empty, indexed.ChromosomeAccession, start, indexed.End ?? start, null, indexed.Alt.ToUpperInvariant())
            : Trimmed(string.Empty, indexed.ChromosomeAccession, start, indexed.Ref.ToUpperInvariant(), indexed.Alt.ToUpperInvariant());
        return other.Start == Start && other.End == End && other.Alt == Alt && (Ref is null || other.Ref is null || other.Ref == Ref);
    }

    private bool SameHgvs(string hgvs)
    {
        var colon = hgvs.IndexOf(':', StringComparison.Ordinal);
        var mine = Text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0) return false;
        // Transcript versions change with RefSeq releases; the change itself must be written the same way.
        return string.Equals(WithoutVersion(hgvs[..colon]), WithoutVersion(Text[..mine]), StringComparison.OrdinalIgnoreCase)
            && string.Equals(hgvs[(colon + 1)..], Text[(mine + 1)..], StringComparison.Ordinal)
            && (!HasVersion(hgvs[..colon]) || !HasVersion(Text[..mine]) || string.Equals(hgvs[..colon], Text[..mine], StringComparison.OrdinalIgnoreCase));
    }

    private static bool HasVersion(string accession) => accession.Contains('.', StringComparison.Ordinal);

    private static string WithoutVersion(string accession) => accession.Split('.')[0];

    private static bool TryParseGenomicHgvs(string text, string accession, string change, out GenomicVariant variant, out string reason)
    {
        variant = null!;
        reason = string.Empty;
        var substitution = Substitution().Match(change);
        if (substitution.Success)
        {
            if (!Position(substitution.Groups["pos"].Value, out var position, out reason)) return false;
            if (position < 1) return Fail("HGVS positions count from 1", out reason);
            variant = Trimmed(text, accession, position - 1, substitution.Groups["ref"].Value.ToUpperInvariant(), substitution.Groups["alt"].Value.ToUpperInvariant());
            return true;
        }

        var edit = Edit().Match(change);
        if (!edit.Success)
        {
            reason = "genomic HGVS other than a substitution, del, dup, ins or delins on a plain position is not supported";
            return false;
        }

        if (!Position(edit.Groups["first"].Value, out var first, out reason)) return false;
        var last = first;
        if (edit.Groups["last"].Success && !Position(edit.Groups["last"].Value, out last, out reason)) return false;
        if (first < 1) return Fail("HGVS positions count from 1", out reason);
        if (last < first)
        {
            reason = "the range's end is before its start";
            return false;
        }

        var sequence = edit.Groups["seq"].Value.ToUpperInvariant();
        var length = last - first + 1;
        switch (edit.Groups["op"].Value.ToLowerInvariant())
        {
            case "del":
                variant = sequence.Length == length ? Trimmed(text, accession, first - 1, sequence, string.Empty) : new GenomicVariant(text, accession, first - 1, last, null, string.Empty);
                return sequence.Length == 0 || sequence.Length == length || Fail("the deleted sequence's length differs from the range", out reason);
            case "delins":
                variant = new GenomicVariant(text, accession, first - 1, last, null, sequence);
                return sequence.Length > 0 || Fail("delins needs the inserted sequence", out reason);
            case "ins":
                variant = Trimmed(text, accession, first, string.Empty, sequence);
                return (last == first + 1 && sequence.Length > 0) || Fail("ins needs two adjacent positions and the inserted sequence", out reason);
            default:
                // A duplication is an insertion of the duplicated bases after the last one; SPDI can only say so when they are written out.
                variant = Trimmed(text, accession, last, string.Empty, sequence);
                return sequence.Length == length || Fail("dup is supported only with the duplicated sequence written out", out reason);
        }
    }

    /// <summary>
    /// A position or length as written: at most 18 digits (below a quintillion, far past any chromosome), so that neither
    /// it nor a sum of two overflows a long. A longer one is refused with a reason, as <see cref="GenomicRange"/> does.
    /// </summary>
    private static bool Position(string digits, out long value, out string reason)
    {
        reason = string.Empty;
        if (digits.Length <= 18 && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value)) return true;
        value = 0;
        reason = "a position is too large";
        return false;
    }

    private static bool Fail(string why, out string reason)
    {
        reason = why;
        return false;
    }

    private static GenomicVariant Trimmed(string text, string accession, long start, string deleted, string inserted)
    {
        var suffix = 0;
        while (suffix < deleted.Length && suffix < inserted.Length && deleted[^(suffix + 1)] == inserted[^(suffix + 1)]) suffix++;
        deleted = deleted[..^suffix];
        inserted = inserted[..^suffix];
        var prefix = 0;
        while (prefix < deleted.Length && prefix < inserted.Length && deleted[prefix] == inserted[prefix]) prefix++;
        return new GenomicVariant(text, accession, start + prefix, start + deleted.Length, deleted[prefix..], inserted[prefix..]);
    }

    [GeneratedRegex(@"^(?<acc>N[CGTW]_\d+(\.\d+)?):(?<pos>\d+):(?<del>[ACGTNacgtn]*|\d+):(?<ins>[ACGTNacgtn]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex Spdi();

    [GeneratedRegex(@"^(?<pos>\d+)(?<ref>[ACGTNacgtn])>(?<alt>[ACGTNacgtn])$", RegexOptions.CultureInvariant)]
    private static partial Regex Substitution();

    [GeneratedRegex(@"^(?<first>\d+)(_(?<last>\d+))?(?<op>delins|del|dup|ins)(?<seq>[ACGTNacgtn]*)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Edit();
}
