using System.Text.RegularExpressions;

namespace PrecisionMed.Core.LabReports;

/// <summary>
/// Which reference sequences an HGVS change of each kind may be written on: c./n./r. on a transcript, p. on a protein,
/// g. on a genomic sequence (a chromosome, a RefSeqGene, an LRG), m. on the mitochondrion. RefSeq, Ensembl and LRG
/// accessions, versioned or not (a version is kept exactly as written).
/// </summary>
internal static partial class HgvsAccessions
{
    /// <summary>True when <paramref name="accession"/> can carry a change of <paramref name="kind"/> ('c', 'g', 'p'...).</summary>
    public static bool Fits(char kind, string accession)
    {
        // NG_012232.1(NM_004006.2): the change is on the transcript named inside the genomic sequence.
        var open = accession.IndexOf('(', StringComparison.Ordinal);
        return open < 0
            ? FitsOne(kind, accession)
            : FitsOne(kind, accession[..open]) || FitsOne(kind, accession[(open + 1)..^1]);
    }

    private static bool FitsOne(char kind, string accession) => kind switch
    {
        'c' => CodingTranscript().IsMatch(accession),
        'n' or 'r' => Transcript().IsMatch(accession),
        'p' => Protein().IsMatch(accession),
        'g' => Genomic().IsMatch(accession),
        'm' => accession.StartsWith("NC_012920", StringComparison.Ordinal) || accession.StartsWith("NC_001807", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>
    /// Splits "NM_000546.5:c.215C>G" into reference and change; false for a bare change ("c.215C>G") or anything
    /// else. A reference may name a transcript in parentheses on a genomic sequence (NG_012232.1(NM_004006.2)).
    /// </summary>
    public static bool TrySplit(string expression, out string reference, out char kind)
    {
        // "REF:k.CHANGE" read by hand (no reference pattern holds a ':'), the reference checked without a Match: this
        // runs for every HGVS of every report, and a Match with its groups cost more than the rest of the split.
        reference = string.Empty;
        kind = '\0';
        var colon = expression.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon + 3 > expression.Length || !Kinds.Contains(expression[colon + 1]) || expression[colon + 2] != '.') return false;
        var change = expression.AsSpan(colon + 3);
        if (change.EndsWith('\n')) change = change[..^1]; // as the pattern's '$' allowed
        if (change.IsEmpty || change.ContainsAny(WhiteSpace) || !Reference().IsMatch(expression.AsSpan(0, colon))) return false;
        reference = expression[..colon];
        kind = expression[colon + 1];
        return true;
    }

    private const string Kinds = "cgmnpr";

    private static readonly System.Buffers.SearchValues<char> WhiteSpace = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, char.MaxValue + 1).Select(c => (char)c).Where(char.IsWhiteSpace)]);

    /// <summary>A bare change: "c.215C>G", "p.Val600Glu", "g.123del"; its kind, or '\0'.</summary>
    public static char BareKind(string expression) => BareChange().IsMatch(expression) ? expression[0] : '\0';

    [GeneratedRegex(@"^(?:[A-Z]{2}_\d+(?:\.\d+)?|ENS[A-Z]*[GTP]\d+(?:\.\d+)?|LRG_\d+(?:[tp]\d+)?)(?:\([A-Za-z0-9_.\-]+\))?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();

    [GeneratedRegex(@"^[cgmnpr]\.\S+$", RegexOptions.CultureInvariant)]
    private static partial Regex BareChange();

    [GeneratedRegex(@"^(?:(?:NM|XM)_\d+(?:\.\d+)?|ENS[A-Z]*T\d+(?:\.\d+)?|LRG_\d+t\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex CodingTranscript();

    [GeneratedRegex(@"^(?:(?:NM|NR|XM|XR)_\d+(?:\.\d+)?|ENS[A-Z]*T\d+(?:\.\d+)?|LRG_\d+t\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Transcript();

    [GeneratedRegex(@"^(?:(?:NP|XP|YP|WP)_\d+(?:\.\d+)?|ENS[A-Z]*P\d+(?:\.\d+)?|LRG_\d+p\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Protein();

    [GeneratedRegex(@"^(?:(?:NC|NG|NT|NW)_\d+(?:\.\d+)?|LRG_\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Genomic();
}
