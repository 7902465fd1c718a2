using System.IO.Compression;
using System.Text.Json;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats;

/// <summary>
/// Recognises a lab file from its first bytes. File names and content types lie; content does not:
/// HL7 v2 starts with MSH/FHS/BHS (after an optional BOM or MLLP start byte), VCF with
/// <c>##fileformat=VCF</c>, FHIR JSON is an object with a top-level <c>resourceType</c>, and
/// gzip/BGZF are recognised by their magic and looked inside.
/// </summary>
public static class FormatDetector
{
    /// <summary>How many leading bytes detection looks at.</summary>
    public const int HeadLength = 64 * 1024;

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];
    private static ReadOnlySpan<byte> Utf16LittleEndianBom => [0xFF, 0xFE];
    private static ReadOnlySpan<byte> Utf16BigEndianBom => [0xFE, 0xFF];
    private static ReadOnlySpan<byte> VcfMagic => "##fileformat=VCF"u8;

    private const byte MllpStartBlock = 0x0B;

    /// <summary>Detects the format of a stream, reading at most <see cref="HeadLength"/> bytes of it.</summary>
    public static async Task<DetectedFormat> DetectAsync(Stream content, CancellationToken cancellationToken)
    {
        // A file held in memory is looked at where it is held.
        if (content is MemoryStream memory && memory.TryGetBuffer(out var held))
        {
            var length = (int)Math.Clamp(memory.Length - memory.Position, 0, HeadLength);
            var start = (int)memory.Position;
            memory.Position += length;
            return Detect(held.AsSpan(start, length));
        }

        var head = await ReadHeadAsync(content, cancellationToken);
        return Detect(head);
    }

    /// <summary>Detects the format from the first bytes of a file.</summary>
    public static DetectedFormat Detect(ReadOnlySpan<byte> head)
    {
        if (IsGzip(head))
        {
            var compression = IsBgzf(head) ? LabFileCompression.Bgzf : LabFileCompression.Gzip;
            var inner = DecompressHead(head);
            var format = DetectPlain(inner);
            return new DetectedFormat(format, compression) { UnreadEncoding = UnreadEncodingOf(inner) };
        }

        return new DetectedFormat(DetectPlain(head), LabFileCompression.None) { UnreadEncoding = UnreadEncodingOf(head) };
    }

    /// <summary>
    /// UTF-16 text, named by its byte order mark. Every format is read as UTF-8 bytes (a UTF-8 BOM is skipped), and the
    /// units of a file are byte ranges of it (<see cref="ReportUnitRange"/>): UTF-16 is named so the lab can resend it as
    /// UTF-8, not decoded.
    /// </summary>
    private static string? UnreadEncodingOf(ReadOnlySpan<byte> head) =>
        head.StartsWith(Utf16LittleEndianBom) ? "UTF-16 (little-endian)"
        : head.StartsWith(Utf16BigEndianBom) ? "UTF-16 (big-endian)"
        : null;

    internal static LabFileFormat DetectPlain(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith(Utf8Bom)) head = head[Utf8Bom.Length..];
        if (head.StartsWith(VcfMagic)) return LabFileFormat.Vcf;

        head = TrimLeading(head);
        if (head.IsEmpty) return LabFileFormat.Unknown;
        if (IsHl7v2Header(head)) return LabFileFormat.Hl7v2;
        if (head[0] == (byte)'{' && HasTopLevelResourceType(head)) return LabFileFormat.FhirJson;
        return LabFileFormat.Unknown;
    }

    private static ReadOnlySpan<byte> TrimLeading(ReadOnlySpan<byte> head)
    {
        var i = 0;
        while (i < head.Length && (head[i] is MllpStartBlock or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) i++;
        return head[i..];
    }

    private static bool IsHl7v2Header(ReadOnlySpan<byte> head)
    {
        // MSH|^~\&, FHS|^~\&, BHS|^~\& - the field separator is whatever byte follows the segment id,
        // so accept any printable, non-alphanumeric separator.
        if (head.Length < 8) return false;
        var id = head[..3];
        if (!id.SequenceEqual("MSH"u8) && !id.SequenceEqual("FHS"u8) && !id.SequenceEqual("BHS"u8)) return false;
        var separator = head[3];
        return separator is > 0x20 and < 0x7F && !char.IsAsciiLetterOrDigit((char)separator);
    }

    private static bool HasTopLevelResourceType(ReadOnlySpan<byte> head)
    {
        var reader = new Utf8JsonReader(head, isFinalBlock: false, state: default);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1
                    && reader.ValueTextEquals("resourceType"u8))
                {
                    return reader.Read() && reader.TokenType == JsonTokenType.String;
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return false;
    }

    private static bool IsGzip(ReadOnlySpan<byte> head) =>
        head.Length >= 18 && head[0] == 0x1F && head[1] == 0x8B && head[2] == 0x08;

    private static bool IsBgzf(ReadOnlySpan<byte> head)
    {
        // RFC 1952 FEXTRA flag, then an extra subfield with SI1='B', SI2='C' (SAM/BAM spec, section 4.1).
        const byte fextra = 0x04;
        if ((head[3] & fextra) == 0 || head.Length < 18) return false;
        var xlen = head[10] | (head[11] << 8);
        var extra = head.Slice(12, Math.Min(xlen, head.Length - 12));
        for (var i = 0; i + 4 <= extra.Length;)
        {
            var subLength = extra[i + 2] | (extra[i + 3] << 8);
            if (extra[i] == (byte)'B' && extra[i + 1] == (byte)'C') return true;
            i += 4 + subLength;
        }

        return false;
    }

    private static byte[] DecompressHead(ReadOnlySpan<byte> head)
    {
        using var compressed = new MemoryStream(head.ToArray(), writable: false);
        using var gzip = new GZipStream(compressed, CompressionMode.Decompress);
        var buffer = new byte[4096];
        var total = 0;
        try
        {
            int read;
            while (total < buffer.Length && (read = gzip.Read(buffer, total, buffer.Length - total)) > 0) total += read;
        }
        catch (InvalidDataException)
        {
            // A truncated head of a larger member ends mid-stream: what was inflated so far is enough.
        }

        return total == buffer.Length ? buffer : buffer[..total];
    }

    private static async Task<byte[]> ReadHeadAsync(Stream content, CancellationToken cancellationToken)
    {
        // A file shorter than the head (most HL7 v2 and FHIR files) gets a buffer its size: detection runs on every pass.
        var buffer = new byte[content.CanSeek ? (int)Math.Clamp(content.Length - content.Position, 0, HeadLength) : HeadLength];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await content.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
            total += read;
        return total == buffer.Length ? buffer : buffer[..total];
    }
}
