using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Knowledge;

/// <summary>
/// The ids of knowledge documents: a kind prefix and the normalised natural key, so that the importer that writes a
/// document and the enrichment that reads it derive the same id. The id is also the partition key (one logical
/// partition per document: point reads only, never a cross-partition query).
/// </summary>
public static class KnowledgeIds
{
    public const string Version = "version";

    /// <summary>Cosmos DB ids may not hold these characters, and may be at most 255 long.</summary>
    private static readonly char[] Forbidden = ['/', '\\', '?', '#'];
    private const int MaxLength = 250;

    public static string Gene(string hgncId) => Make("gene", NormaliseHgncId(hgncId));

    public static string Symbol(string symbol) => Make("symbol", symbol.Trim().ToUpperInvariant());

    public static string Variant(VariantLocation location) => Make("variant", string.Create(CultureInfo.InvariantCulture,
        $"{NormaliseBuild(location.Build)}:{NormaliseChromosome(location.Chromosome)}:{location.Position}:{location.Ref.Trim().ToUpperInvariant()}:{location.Alt.Trim().ToUpperInvariant()}"));

    public static string Hgvs(string hgvs) => Make("hgvs", NormaliseHgvs(hgvs));

    public static string AlleleFunction(string gene, string allele) => Make("pgx-allele", $"{gene.Trim().ToUpperInvariant()}:{allele.Trim()}");

    public static string Diplotype(string gene, string diplotype) => Make("pgx-diplotype", $"{gene.Trim().ToUpperInvariant()}:{CanonicalDiplotype(diplotype)}");

    public static string AlleleDefinition(string gene) => Make("pgx-definition", gene.Trim().ToUpperInvariant());

    public static string AlleleExemption(string gene) => Make("pgx-exemption", gene.Trim().ToUpperInvariant());

    /// <summary>The guideline recommendations for exactly this set of genes (any order, any case): <c>pgx-guidelines:CYP2C19+CYP2D6</c>.</summary>
    public static string GuidelineSet(IEnumerable<string> genes) =>
        Make("pgx-guidelines", string.Join('+', genes.Select(g => g.Trim().ToUpperInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)));

    /// <summary>The one document listing every gene set that has guideline recommendations.</summary>
    public const string GuidelineIndex = "pgx-guideline-index";

    /// <summary>The one document holding CPIC's drug table.</summary>
    public const string DrugTable = "pgx-drug-table";

    /// <summary>CPIC's alert language for a drug, by its name as CPIC writes it (case-insensitive).</summary>
    public static string CdsAlerts(string drug) => Make("pgx-cds-alerts", drug.Trim().ToLowerInvariant());

    /// <summary>An RxNorm concept by its RXCUI: <c>rxnorm:309362</c>.</summary>
    public static string RxNormDrug(string rxcui) => Make("rxnorm", rxcui.Trim());

    /// <summary>
    /// One spelling of an activity score (<c>1</c>, <c>1.0</c> and <c>1.00</c> are <c>1.0</c>; PharmCAT writes one
    /// decimal, CPIC exports sometimes none); text such as <c>≥3.0</c> is kept trimmed; null for none and <c>n/a</c>.
    /// </summary>
    public static string? NormaliseActivityScore(string? activityScore)
    {
        var text = activityScore?.Trim();
        if (string.IsNullOrEmpty(text) || text.Equals("n/a", StringComparison.OrdinalIgnoreCase) || text is "-" or "na") return null;
        return decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var score)
            ? score.ToString("0.0##", CultureInfo.InvariantCulture)
            : text;
    }

    /// <summary>By lab and code only: a lab's local codes are unique within it, and HL7 v2 spells the system (L, 99ZZZ, an OID) in many ways.</summary>
    public static string LabCode(string labId, string code) => Make("lab-code", $"{labId.Trim()}:{code.Trim()}");

    public static string LabProfile(string labId) => Make("lab", labId.Trim());

    /// <summary><c>HGNC:2621</c> for <c>2621</c>, <c>hgnc:2621</c> or <c>HGNC:2621</c>.</summary>
    public static string NormaliseHgncId(string hgncId)
    {
        var id = hgncId.Trim();
        if (id.StartsWith("HGNC:", StringComparison.OrdinalIgnoreCase)) id = id[5..];
        return "HGNC:" + id;
    }

    /// <summary>GRCh37 or GRCh38 for the spellings labs and files use (hg19, b37, GRCh38.p14, LOINC LA codes); else as given.</summary>
    public static string NormaliseBuild(string build) => build.Trim().ToUpperInvariant() switch
    {
        "GRCH37" or "HG19" or "B37" or "37" or "LA14029-5" => "GRCh37",
        "GRCH38" or "HG38" or "B38" or "38" or "LA26806-2" => "GRCh38",
        var other when other.StartsWith("GRCH38", StringComparison.Ordinal) => "GRCh38",
        var other when other.StartsWith("GRCH37", StringComparison.Ordinal) => "GRCh37",
        _ => build.Trim(),
    };

    /// <summary>A chromosome without its <c>chr</c> prefix, <c>MT</c> for the mitochondrion.</summary>
    public static string NormaliseChromosome(string chromosome)
    {
        var chrom = chromosome.Trim();
        if (chrom.StartsWith("chr", StringComparison.OrdinalIgnoreCase)) chrom = chrom[3..];
        chrom = chrom.ToUpperInvariant();
        return chrom == "M" ? "MT" : chrom;
    }

    /// <summary>
    /// The HGVS lookup key: the reference sequence without its version, and del/dup without the bases spelled after
    /// them (<c>NM_007294.3:c.5266dupC</c> and <c>NM_007294.4:c.5266dup</c> are one key). Labs and ClinVar differ in
    /// exactly these two ways for the same variant; the numbering of a transcript rarely changes between versions.
    /// </summary>
    public static string NormaliseHgvs(string hgvs)
    {
        var text = hgvs.Trim();
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0) return text;
        var reference = text[..colon];
        var dot = reference.LastIndexOf('.');
        if (dot > 0 && reference[(dot + 1)..].All(char.IsAsciiDigit)) reference = reference[..dot];
        var change = text[(colon + 1)..];
        foreach (var operation in (string[])["del", "dup"])
        {
            var at = change.LastIndexOf(operation, StringComparison.Ordinal);
            if (at > 0 && !change.Contains("delins", StringComparison.Ordinal)
                && change[(at + operation.Length)..] is { Length: > 0 } bases && bases.All(c => c is 'A' or 'C' or 'G' or 'T' or 'N'))
            {
                change = change[..(at + operation.Length)];
            }
        }

        return reference.ToUpperInvariant() + ":" + change;
    }

    /// <summary>The two alleles of a diplotype in ordinal order, so <c>*2/*1</c> and <c>*1/*2</c> are one key.</summary>
    public static string CanonicalDiplotype(string diplotype) => StarDiplotypes.Canonical(diplotype);

    private static string Make(string kind, string key)
    {
        // '/' (every diplotype has one) becomes '|'; the rare others become '_' with a hash of the key, so two keys
        // differing only there stay apart. Not %-escapes: the gateway path of a point read would decode them.
        var id = $"{kind}:{key}".Replace('/', '|');
        if (id.IndexOfAny(Forbidden) >= 0)
        {
            var hash = Hash(id);
            foreach (var c in Forbidden) id = id.Replace(c, '_');
            id += "~" + hash;
        }

        // A long HGVS (a delins of hundreds of bases) keeps a readable prefix and a hash of the whole key.
        if (id.Length > MaxLength) id = id[..(MaxLength - 17)] + "~" + Hash(id);
        return id;
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
