using System.Globalization;
using System.Text;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Vcf;

/// <summary>
/// The diplotypes a lab called itself and wrote into the VCF (option <see cref="VcfOptions.DiplotypeInfoKey"/>): in an
/// INFO field of any record, or once as a <c>##KEY=</c> header line, as <c>GENE:*a/*b</c> items separated by ','.
/// They are site- or file-level, so they are only attributed in a single-sample file. Enrichment joins them to the
/// diplotypes called from the genotypes (<see cref="LabReport.LabDiplotypes"/>).
/// </summary>
internal sealed class LabDiplotypes
{
    private const int MaxSymbolLength = 32;
    private const int MaxAlleleLength = 32;

    private readonly string _key = string.Empty;
    private readonly byte[] _keyBytes = [];
    private readonly VcfHeader _header;

    /// <summary>Per gene (upper case), the distinct diplotypes the lab wrote, as written, in the order first seen.</summary>
    private readonly SortedDictionary<string, List<string>> _calls = new(StringComparer.Ordinal);

    private bool _unattributableReported;

    public LabDiplotypes(string? key, VcfHeader header)
    {
        _header = header;
        if (string.IsNullOrWhiteSpace(key)) return;
        _key = key.Trim();
        _keyBytes = Encoding.UTF8.GetBytes(_key);
    }

    /// <summary>Every header line of the key (several genes may come on several lines), each positioned at its line.</summary>
    public void ReadHeader(Action<LabFileProblem> problem)
    {
        if (_key.Length == 0 || !_header.MetaLines.TryGetValue(_key, out var lines)) return;
        foreach (var (value, line) in lines)
            Read(value, new SourcePosition { Line = line, Field = $"##{_key}" }, $"the ##{_key} header line", problem);
    }

    public void Collect(VcfRecord record, Action<LabFileProblem> problem)
    {
        if (_keyBytes.Length == 0 || !record.TryGetInfo(_keyBytes, out var value)) return;
        // '.' is VCF's missing value: the lab called nothing on this record.
        if (value.SequenceEqual("."u8)) return;
        var position = new SourcePosition { Line = record.LineNumber, Column = record.ColumnStart(7), Field = $"INFO/{_key}" };
        Read(Encoding.UTF8.GetString(value), position, $"INFO field {_key}", problem);
    }

    private void Read(string value, SourcePosition position, string where, Action<LabFileProblem> problem)
    {
        var samples = _header.Samples.Count;
        if (samples != 1)
        {
            // A site-level call in a multi-sample file names no sample: attributing it to each would be a guess.
            if (_unattributableReported) return;
            _unattributableReported = true;
            problem(new LabFileProblem(position, string.Create(CultureInfo.InvariantCulture,
                $"{where} holds diplotypes, but the file has {samples} sample columns and they name no sample: they were not used")));
            return;
        }

        var items = value.Split(',');
        for (var i = 0; i < items.Length; i++)
        {
            if (Parse(items[i]) is not var (gene, diplotype))
            {
                // The reason names the item, never its value: the ledger carries no results.
                problem(new LabFileProblem(position, string.Create(CultureInfo.InvariantCulture,
                    $"item {i + 1} of {where} is not a gene symbol, ':' and a two-allele star diplotype; it was ignored")));
                continue;
            }

            if (!_calls.TryGetValue(gene, out var diplotypes)) _calls[gene] = diplotypes = [];
            if (!diplotypes.Exists(d => Same(d, diplotype))) diplotypes.Add(diplotype);
        }
    }

    /// <summary><c>GENE:*a/*b</c> (the ':' may be percent-encoded, as VCF 4.3 asks of INFO values), or null.</summary>
    internal static (string Gene, string Diplotype)? Parse(string item)
    {
        var text = item.Replace("%3A", ":", StringComparison.OrdinalIgnoreCase).Trim();
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0) return null;
        var gene = text[..colon].Trim();
        var alleles = text[(colon + 1)..].Split('/', StringSplitOptions.TrimEntries);
        if (!IsSymbol(gene) || alleles.Length != 2 || !IsStarAllele(alleles[0]) || !IsStarAllele(alleles[1])) return null;
        return (gene.ToUpperInvariant(), $"{alleles[0]}/{alleles[1]}");
    }

    private static bool IsSymbol(string gene) =>
        gene.Length is > 0 and <= MaxSymbolLength && char.IsAsciiLetter(gene[0]) && gene.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    /// <summary>PharmVar style: '*' then a name such as 2, 17, 2.001 or 1x2.</summary>
    private static bool IsStarAllele(string allele) =>
        allele.Length is > 1 and <= MaxAlleleLength && allele[0] == '*' && allele.Skip(1).All(c => char.IsAsciiLetterOrDigit(c) || c == '.');

    private static bool Same(string a, string b) => StarDiplotypes.Same(a, b);

    /// <summary>Per gene (in ordinal order), the distinct diplotypes the lab wrote.</summary>
    public List<StatedDiplotypes> Stated() => [.. _calls.Select(c => new StatedDiplotypes(c.Key, c.Value))];
}
