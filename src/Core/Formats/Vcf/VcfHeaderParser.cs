using System.Globalization;
using System.Text;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Vcf;

/// <summary>
/// Reads the meta-information lines and the <c>#CHROM</c> line. A header that cannot be used (no
/// <c>##fileformat=VCFv4.x</c>, no <c>#CHROM</c> line, wrong fixed column names) rejects the file; a single
/// unreadable meta line is kept as a problem and skipped, as htslib does.
/// </summary>
internal static class VcfHeaderParser
{
    private static readonly string[] FixedColumns = ["CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO"];

    /// <summary>Header lines are few and short; one longer than this is not a header.</summary>
    private const int MaxHeaderLines = 1_000_000;

    public static VcfHeader Read(VcfLineSource lines)
    {
        var builder = new Builder();
        while (lines.TryReadLine(out var offset, out var length))
        {
            if (builder.Accept(lines.Buffer.AsSpan(offset, length), lines.LineNumber) is { } header) return header;
        }

        throw builder.MissingChromLine(lines.LineNumber);
    }

    public static async ValueTask<VcfHeader> ReadAsync(VcfLineSource lines, CancellationToken cancellationToken)
    {
        var builder = new Builder();
        while (await lines.ReadLineAsync(cancellationToken) is (true, var offset, var length))
        {
            if (builder.Accept(lines.Buffer.AsSpan(offset, length), lines.LineNumber) is { } header) return header;
        }

        throw builder.MissingChromLine(lines.LineNumber);
    }

    private sealed class Builder
    {
        private readonly Dictionary<string, VcfContig> _contigs = new(StringComparer.Ordinal);
        private readonly Dictionary<string, VcfFieldDefinition> _info = new(StringComparer.Ordinal);
        private readonly Dictionary<string, VcfFieldDefinition> _format = new(StringComparer.Ordinal);
        private readonly HashSet<string> _filters = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _meta = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<(string Value, long Line)>> _metaLines = new(StringComparer.Ordinal);
        private readonly List<LabFileProblem> _problems = [];
        private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _sampleLines = new(StringComparer.Ordinal);
        private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _pedigreeLines = new(StringComparer.Ordinal);
        private string? _fileFormat;
        private int _minor;

        public VcfHeader? Accept(ReadOnlySpan<byte> line, long number)
        {
            if (number == 1 && line.StartsWith("\uFEFF"u8)) line = line[3..];
            if (number > MaxHeaderLines) throw Reject(number, "no #CHROM line within the first million lines");
            if (number == 1)
            {
                ReadFileFormat(line, number);
                return null;
            }

            if (line.StartsWith("##"u8))
            {
                ReadMeta(Decode(line[2..], number), number);
                return null;
            }

            if (line.StartsWith("#"u8)) return ReadColumns(Decode(line[1..], number), number);
            if (line.Trim(" \t"u8).IsEmpty) return null; // a stray blank line inside the header
            throw Reject(number, "a data line comes before the #CHROM header line");
        }

        public LabFileRejectedException MissingChromLine(long lastLine) =>
            Reject(lastLine + 1, _fileFormat is null ? "the file is empty" : "the header has no #CHROM line (the file ends inside the header)");

        private void ReadFileFormat(ReadOnlySpan<byte> line, long number)
        {
            const string prefix = "##fileformat=";
            var text = Decode(line, number).Trim();
            if (!text.StartsWith(prefix, StringComparison.Ordinal))
                throw Reject(number, "the first line is not ##fileformat=VCFv4.x");
            var version = text[prefix.Length..];
            if (!version.StartsWith("VCFv4.", StringComparison.Ordinal)
                || !int.TryParse(version.AsSpan("VCFv4.".Length), NumberStyles.None, CultureInfo.InvariantCulture, out _minor)
                || _minor > 5)
            {
                throw Reject(number, "only VCF versions 4.0 to 4.5 are read (##fileformat=VCFv4.0 ... VCFv4.5)");
            }

            _fileFormat = version;
        }

        private void ReadMeta(string text, long number)
        {
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) return; // "##" comment lines without a key carry nothing
            var key = text[..equals];
            var value = text[(equals + 1)..].TrimEnd();
            if (!value.StartsWith('<'))
            {
                _meta.TryAdd(key, value);
                if (!_metaLines.TryGetValue(key, out var lines)) _metaLines[key] = lines = [];
                lines.Add((value, number));
                return;
            }

            if (!TryParseStructured(value, out var fields))
            {
                _problems.Add(new LabFileProblem(new SourcePosition { Line = number }, $"the ##{key} line is not a well-formed <...> list; it was ignored"));
                return;
            }

            var id = fields.GetValueOrDefault("ID");
            if (string.IsNullOrEmpty(id))
            {
                if (key is "contig" or "INFO" or "FORMAT" or "FILTER")
                    _problems.Add(new LabFileProblem(new SourcePosition { Line = number }, $"the ##{key} line has no ID; it was ignored"));
                return;
            }

            switch (key)
            {
                case "contig":
                    var length = long.TryParse(fields.GetValueOrDefault("length"), NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : (long?)null;
                    _contigs.TryAdd(id, new VcfContig(id, length, fields.GetValueOrDefault("assembly")));
                    break;
                case "INFO":
                    _info.TryAdd(id, Definition(id, fields));
                    break;
                case "FORMAT":
                    _format.TryAdd(id, Definition(id, fields));
                    break;
                case "FILTER":
                    _filters.Add(id);
                    break;
                case "SAMPLE":
                    _sampleLines.TryAdd(id, fields);
                    break;
                case "PEDIGREE":
                    _pedigreeLines.TryAdd(id, fields);
                    break;
            }
        }

        private static VcfFieldDefinition Definition(string id, Dictionary<string, string> fields) =>
            new(id, fields.GetValueOrDefault("Number"), fields.GetValueOrDefault("Type"), fields.GetValueOrDefault("Description"));

        private VcfHeader ReadColumns(string text, long number)
        {
            // Tabs per the spec; some writers pad the #CHROM line with spaces (pysam 24.vcf, PyVCF's bnd example).
            var columns = text.Split('\t', StringSplitOptions.TrimEntries).Where(c => c.Length > 0).ToList();
            if (columns.Count < FixedColumns.Length || columns.Any(c => c.Contains(' ', StringComparison.Ordinal)))
                columns = [.. text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)];
            for (var i = 0; i < FixedColumns.Length; i++)
            {
                if (i >= columns.Count || !string.Equals(columns[i], FixedColumns[i], StringComparison.OrdinalIgnoreCase))
                {
                    throw Reject(number, $"the #CHROM line must start with the 8 fixed columns CHROM POS ID REF ALT QUAL FILTER INFO; column {i + 1} is "
                        + (i < columns.Count ? "another name" : "missing"));
                }
            }

            var hasFormat = columns.Count > FixedColumns.Length;
            if (hasFormat && !string.Equals(columns[FixedColumns.Length], "FORMAT", StringComparison.OrdinalIgnoreCase))
                throw Reject(number, "the 9th column of the #CHROM line must be FORMAT when sample columns follow");

            return new VcfHeader
            {
                FileFormat = _fileFormat!,
                MinorVersion = _minor,
                Samples = hasFormat ? columns[(FixedColumns.Length + 1)..] : [],
                HasFormatColumn = hasFormat,
                Contigs = _contigs,
                Info = _info,
                Format = _format,
                Filters = _filters,
                Meta = _meta,
                MetaLines = _metaLines.ToDictionary(p => p.Key, p => (IReadOnlyList<(string Value, long Line)>)p.Value, StringComparer.Ordinal),
                Problems = _problems,
                SampleLines = _sampleLines,
                PedigreeLines = _pedigreeLines,
                HeaderLineCount = number,
            };
        }

        private static string Decode(ReadOnlySpan<byte> bytes, long number)
        {
            try
            {
                return Strict.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw Reject(number, "the header line is not valid UTF-8 (VCF 4.3 and later are UTF-8)");
            }
        }

        private static LabFileRejectedException Reject(long line, string reason) =>
            new(new SourcePosition { Line = line }, "unusable VCF header: " + reason);
    }

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Parses <c>&lt;ID=x,Number=1,Description="a, b"&gt;</c> into its key/value pairs (quotes and escapes honoured).</summary>
    internal static bool TryParseStructured(string value, out Dictionary<string, string> fields)
    {
        fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (value.Length < 2 || value[0] != '<' || value[^1] != '>') return false;
        var body = value.AsSpan(1, value.Length - 2);
        var i = 0;
        var text = new StringBuilder();
        while (i < body.Length)
        {
            var equals = body[i..].IndexOf('=');
            if (equals < 0) return false;
            var key = body.Slice(i, equals).Trim().ToString();
            i += equals + 1;
            text.Clear();
            if (i < body.Length && body[i] == '"')
            {
                i++;
                var closed = false;
                while (i < body.Length)
                {
                    var c = body[i++];
                    if (c == '\\' && i < body.Length) text.Append(body[i++]);
                    else if (c == '"')
                    {
                        closed = true;
                        break;
                    }
                    else text.Append(c);
                }

                if (!closed) return false;
                while (i < body.Length && body[i] == ' ') i++;
            }
            else
            {
                var comma = body[i..].IndexOf(',');
                var end = comma < 0 ? body.Length : i + comma;
                text.Append(body[i..end].Trim());
                i = end;
            }

            if (key.Length == 0 || key.AsSpan().ContainsAny('<', '>', '[')) return false;
            fields.TryAdd(key, text.ToString());
            if (i < body.Length)
            {
                if (body[i] != ',') return false;
                i++;
            }
        }

        return true;
    }
}
