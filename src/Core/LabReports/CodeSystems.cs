using System.Text.RegularExpressions;

namespace PrecisionMed.Core.LabReports;

/// <summary>
/// Code-system knowledge every format and the knowledge sources share: the systems of identifiers that name
/// themselves (reference sequences, variant ids), and reading a list of codings.
/// </summary>
public static partial class CodeSystems
{
    public const string Ensembl = "http://www.ensembl.org";
    public const string Cosmic = "http://cancer.sanger.ac.uk/cancergenome/projects/cosmic";

    /// <summary>The first coding, if any.</summary>
    public static Coding? FirstCoding(this IReadOnlyList<Coding> codings) => codings.Count > 0 ? codings[0] : null;

    /// <summary>A reference-sequence id (NM_, NC_, ENST...) as a coding in RefSeq or Ensembl.</summary>
    public static Coding ReferenceSequence(string id) =>
        id.Length > 3 && id[2] == '_' && char.IsAsciiLetterUpper(id[0]) && char.IsAsciiLetterUpper(id[1])
            ? new Coding(Coding.RefSeq, id)
            : id.StartsWith("ENS", StringComparison.Ordinal) ? new Coding(Ensembl, id) : new Coding(null, id);

    /// <summary>A variant id as a coding: rsIDs in dbSNP, COSM/COSV in COSMIC, else a bare code.</summary>
    public static Coding VariantId(string id) =>
        RsId().IsMatch(id) ? new Coding(Coding.DbSnp, id)
        : id.StartsWith("COSM", StringComparison.Ordinal) || id.StartsWith("COSV", StringComparison.Ordinal) ? new Coding(Cosmic, id)
        : new Coding(null, id);

    [GeneratedRegex(@"^rs[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex RsId();
}
