using System.Buffers;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>
/// Reads the segments of HL7 v2 text one at a time, without allocating. A segment ends at CR, LF or
/// CRLF (mixed in one file is fine); MLLP framing bytes (0x0B start block, 0x1C end block) also end
/// one and are dropped; a UTF-8 BOM at the start of a segment is skipped; blank and
/// whitespace-only lines are skipped. Line numbers count CR, LF and CRLF line breaks.
/// </summary>
internal ref struct Hl7v2SegmentReader
{
    internal const byte CarriageReturn = 0x0D;
    internal const byte LineFeed = 0x0A;
    internal const byte MllpStartBlock = 0x0B;
    internal const byte MllpEndBlock = 0x1C;

    private static readonly SearchValues<byte> Terminators =
        SearchValues.Create([CarriageReturn, LineFeed, MllpStartBlock, MllpEndBlock]);

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private readonly ReadOnlySpan<byte> _content;
    private int _position;
    private int _nextLine;

    public Hl7v2SegmentReader(ReadOnlySpan<byte> content, int firstLine = 1)
    {
        _content = content;
        _nextLine = firstLine;
    }

    /// <summary>Offset of the current segment's first byte (its id) in the content.</summary>
    public int Start { get; private set; }

    /// <summary>Offset just past the current segment's last byte (its terminator excluded).</summary>
    public int End { get; private set; }

    /// <summary>The 1-based line the current segment is on.</summary>
    public int Line { get; private set; }

    public readonly ReadOnlySpan<byte> Current => _content[Start..End];

    public bool Read()
    {
        while (_position < _content.Length)
        {
            var start = _position;
            var length = _content[start..].IndexOfAny(Terminators);
            var end = length < 0 ? _content.Length : start + length;
            var line = _nextLine;
            _position = end;
            if (_position < _content.Length) ConsumeTerminator();

            if (_content[start..end].StartsWith(Utf8Bom)) start += Utf8Bom.Length;
            if (IsBlank(_content[start..end])) continue;

            Start = start;
            End = end;
            Line = line;
            return true;
        }

        return false;
    }

    private void ConsumeTerminator()
    {
        var terminator = _content[_position++];
        if (terminator == LineFeed)
        {
            _nextLine++;
        }
        else if (terminator == CarriageReturn)
        {
            if (_position < _content.Length && _content[_position] == LineFeed) _position++;
            _nextLine++;
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> segment) => segment.IndexOfAnyExcept((byte)' ', (byte)'\t') < 0;
}
