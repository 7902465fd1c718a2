using System.Text.RegularExpressions;

namespace PrecisionMed.Validation.Genomics;

/// <summary>
/// One HGVS expression read as <c>&lt;accession&gt;:&lt;kind&gt;.&lt;change&gt;</c>: the reference sequence (RefSeq
/// NM_/NC_/NP_..., Ensembl ENST/ENSP/ENSG, LRG_), an optional sequence or gene named inside it in parentheses
/// (<c>NG_012232.1(NM_004006.2)</c>, <c>NM_000492.3(CFTR)</c>), the kind (c, g, m, n, p, r) and the change.
/// </summary>
internal sealed partial record HgvsExpression(string Accession, string? Inner, char Kind, string Change)
{
    /// <summary>The expression, or null when the text is not <c>&lt;accession&gt;:&lt;kind&gt;.&lt;change&gt;</c>.</summary>
    public static HgvsExpression? Parse(string? text)
    {
        if (text is null) return null;
        var match = Syntax().Match(text);
        if (!match.Success) return null;
        var inner = match.Groups["inner"];
        return new HgvsExpression(match.Groups["acc"].Value, inner.Success ? inner.Value : null, match.Groups["kind"].Value[0], match.Groups["change"].Value);
    }

    /// <summary>Whether the reference sequence is of a type that can carry a change of this kind (p. on a protein...).</summary>
    public bool KindFitsReference() =>
        FitsOne(Kind, Accession) || (Inner is not null && Accession.Length > 0 && FitsOne(Kind, Inner));

    /// <summary>The gene symbol in parentheses (<c>NM_000492.3(CFTR)</c>), or null when there is none or it is an accession.</summary>
    public string? GeneSymbol => Inner is not null && !Accessions().IsMatch(Inner) ? Inner : null;

    private static bool FitsOne(char kind, string accession) => kind switch
    {
        'c' => CodingTranscript().IsMatch(accession),
        'n' or 'r' => Transcript().IsMatch(accession),
        'p' => Protein().IsMatch(accession),
        'g' => Genomic().IsMatch(accession),
        'm' => accession.StartsWith("NC_012920", StringComparison.Ordinal) || accession.StartsWith("NC_001807", StringComparison.Ordinal),
        _ => false,
    };

    private const string AccessionPattern = @"(?:[A-Z]{2}_\d+(?:\.\d+)?|ENS[A-Z]*[GTP]\d+(?:\.\d+)?|LRG_\d+(?:[tp]\d+)?)";

    [GeneratedRegex(@"^(?<acc>" + AccessionPattern + @")(?:\((?<inner>[A-Za-z0-9_.\-]+)\))?:(?<kind>[cgmnpr])\.(?<change>\S+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Syntax();

    [GeneratedRegex("^" + AccessionPattern + "$", RegexOptions.CultureInvariant)]
    private static partial Regex Accessions();

    [GeneratedRegex(@"^(?:(?:NM|XM)_\d+(?:\.\d+)?|ENS[A-Z]*T\d+(?:\.\d+)?|LRG_\d+t\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex CodingTranscript();

    [GeneratedRegex(@"^(?:(?:NM|NR|XM|XR)_\d+(?:\.\d+)?|ENS[A-Z]*T\d+(?:\.\d+)?|LRG_\d+t\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Transcript();

    [GeneratedRegex(@"^(?:(?:NP|XP|YP|WP)_\d+(?:\.\d+)?|ENS[A-Z]*P\d+(?:\.\d+)?|LRG_\d+p\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Protein();

    [GeneratedRegex(@"^(?:(?:NC|NG|NT|NW)_\d+(?:\.\d+)?|LRG_\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Genomic();
}
