using System.IO.Compression;
using System.Text;

namespace PrecisionMed.Testing.Fuzzing;

/// <summary>What a format's text is made of, so mutations hit the bytes its parser splits on.</summary>
/// <param name="Name">For messages.</param>
/// <param name="Delimiters">Bytes the format gives meaning to (HL7 v2 separators, VCF tabs and INFO punctuation, JSON structure).</param>
/// <param name="Json">Whether deep nesting and JSON literals are worth injecting.</param>
public sealed record LabFileSyntax(string Name, byte[] Delimiters, bool Json)
{
    public static LabFileSyntax Hl7v2 { get; } = new("HL7 v2", "|^~\\&\r\n"u8.ToArray(), Json: false);

    public static LabFileSyntax Vcf { get; } = new("VCF", "\t\n\r#.:,;|/<>[]=*"u8.ToArray(), Json: false);

    public static LabFileSyntax FhirJson { get; } = new("FHIR JSON", "{}[]\",:\\"u8.ToArray(), Json: true);
}

/// <summary>
/// Fixed-seed mutations of lab files, shared by the fuzz tests: byte flips, insertions, deletions, truncation,
/// duplicated and dropped lines (segments, records), delimiter injection, huge and odd numbers, invalid UTF-8, deep
/// JSON nesting, and, now and then, the result gzip-compressed (or its compressed bytes damaged) so intake's
/// decompression is fuzzed too. Same seed, same files: a failure names its case number and reproduces. Also compiled
/// into Core.Tests (the in-memory fuzz), which does not reference this project.
/// </summary>
public sealed class LabFileMutator(int seed, LabFileSyntax syntax)
{
    private static readonly byte[][] Numbers =
    [
        .. new[]
        {
            "99999999999999999999999999999999", "-2147483649", "2147483648", "9223372036854775808", "-0", "1e999", "-1e-999",
            "NaN", "Infinity", "0x7FFFFFFF", "00000000000000000001", "4294967296", "1.7976931348623157E+309", "-1",
        }.Select(Encoding.ASCII.GetBytes),
    ];

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0xC3, 0x28], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0x80], [0x00],
        "\\ud800"u8.ToArray(), // an unpaired surrogate escape: valid bytes, invalid text once JSON-decoded
    ];

    private readonly Random _random = new(seed);

    /// <summary>A mutation of <paramref name="original"/>: one to four edits, sometimes then compressed.</summary>
    public byte[] Mutate(byte[] original)
    {
        var bytes = new List<byte>(original);
        var edits = _random.Next(1, 5);
        for (var e = 0; e < edits && bytes.Count > 0; e++) Edit(bytes);

        byte[] mutated = [.. bytes];
        return _random.Next(20) switch
        {
            0 => Gzip(mutated),
            1 => Damaged(Gzip(mutated)),
            _ => mutated,
        };
    }

    private void Edit(List<byte> bytes)
    {
        var at = _random.Next(bytes.Count);
        switch (_random.Next(syntax.Json ? 12 : 11))
        {
            case 0:
                bytes[at] ^= (byte)(1 << _random.Next(8));
                break;
            case 1:
                bytes.Insert(at, (byte)_random.Next(256));
                break;
            case 2:
                bytes.RemoveRange(at, Math.Min(_random.Next(1, 40), bytes.Count - at));
                break;
            case 3:
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case 4:
                DuplicateLine(bytes);
                break;
            case 5:
                DropLine(bytes);
                break;
            case 6:
            case 7:
                // Delimiters are where parsers split: inject, replace, or repeat one.
                var delimiter = syntax.Delimiters[_random.Next(syntax.Delimiters.Length)];
                if (_random.Next(2) == 0) bytes[at] = delimiter;
                else bytes.InsertRange(at, Enumerable.Repeat(delimiter, _random.Next(1, _random.Next(2) == 0 ? 3 : 300)));
                break;
            case 8:
                ReplaceNumber(bytes, at);
                break;
            case 9:
                bytes.InsertRange(at, InvalidUtf8[_random.Next(InvalidUtf8.Length)]);
                break;
            case 10:
                // A long run of one byte: a line without end, a field of thousands of separators.
                bytes.InsertRange(at, Enumerable.Repeat(_random.Next(2) == 0 ? (byte)'A' : bytes[at], _random.Next(100, 20_000)));
                break;
            default:
                Nest(bytes);
                break;
        }
    }

    /// <summary>The digits at (or after) a position replaced by a huge, negative or unparseable number.</summary>
    private void ReplaceNumber(List<byte> bytes, int at)
    {
        var start = bytes.FindIndex(at, b => b is >= (byte)'0' and <= (byte)'9');
        if (start < 0) start = at;
        var end = start;
        while (end < bytes.Count && bytes[end] is >= (byte)'0' and <= (byte)'9' or (byte)'.') end++;
        bytes.RemoveRange(start, end - start);
        bytes.InsertRange(start, Numbers[_random.Next(Numbers.Length)]);
    }

    /// <summary>A JSON value wrapped in 2 to 300 arrays or objects (past the depth limit now and then).</summary>
    private void Nest(List<byte> bytes)
    {
        var colon = bytes.IndexOf((byte)':', _random.Next(bytes.Count));
        if (colon < 0) return;
        var end = colon + 1;
        while (end < bytes.Count && bytes[end] is not ((byte)',' or (byte)'}' or (byte)']')) end++;
        var depth = _random.Next(4) == 0 ? _random.Next(60, 300) : _random.Next(2, 20);
        var objects = _random.Next(2) == 0;
        bytes.InsertRange(end, Enumerable.Repeat(objects ? (byte)'}' : (byte)']', depth));
        var open = objects ? "{\"x\":"u8.ToArray() : "["u8.ToArray();
        bytes.InsertRange(colon + 1, Enumerable.Range(0, depth).SelectMany(_ => open));
    }

    private void DuplicateLine(List<byte> bytes)
    {
        var lines = Lines(bytes);
        var (start, length) = lines[_random.Next(lines.Count)];
        var copy = bytes.GetRange(start, length);
        var times = _random.Next(4) == 0 ? _random.Next(2, 50) : 1;
        var target = lines[_random.Next(lines.Count)].Start;
        for (var t = 0; t < times; t++) bytes.InsertRange(target, copy);
    }

    private void DropLine(List<byte> bytes)
    {
        var lines = Lines(bytes);
        var (start, length) = lines[_random.Next(lines.Count)];
        bytes.RemoveRange(start, length);
    }

    /// <summary>
    /// (start, length including the terminator) of every line: CR, LF or CRLF ended, as HL7 v2 segments are. JSON
    /// (often one line) is cut after each comma instead, so lines are members and elements: duplicated, they are
    /// repeated properties and array items, not the same whole file again.
    /// </summary>
    private List<(int Start, int Length)> Lines(List<byte> bytes)
    {
        var lines = new List<(int, int)>();
        var start = 0;
        for (var i = 0; i < bytes.Count; i++)
        {
            if (bytes[i] is not ((byte)'\r' or (byte)'\n') && !(syntax.Json && bytes[i] == (byte)',')) continue;
            if (i + 1 < bytes.Count && bytes[i] == '\r' && bytes[i + 1] == '\n') i++;
            lines.Add((start, i + 1 - start));
            start = i + 1;
        }

        if (start < bytes.Count) lines.Add((start, bytes.Count - start));
        return lines;
    }

    private static byte[] Gzip(byte[] content)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(content);
        return compressed.ToArray();
    }

    /// <summary>Compressed bytes cut short or with a byte flipped past the header: corrupt or truncated gzip.</summary>
    private byte[] Damaged(byte[] gzip)
    {
        if (gzip.Length <= 20) return gzip;
        var at = _random.Next(18, gzip.Length);
        if (_random.Next(2) == 0) return gzip[..at];
        gzip[at] ^= (byte)(1 << _random.Next(8));
        return gzip;
    }
}
