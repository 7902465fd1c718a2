using System.Text;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>
/// One parsed HL7 v2 message. The message's bytes are held once; segments and fields are offsets
/// into them, and text is only decoded (escape sequences included) when a value is asked for.
/// Fields are numbered as the standard does: MSH-1 is the field separator itself, MSH-2 the
/// encoding characters, MSH-9 the message type.
/// </summary>
public sealed class Hl7v2Message
{
    private readonly Hl7v2SegmentEntry[] _segments;
    private readonly int[] _pieceEnds;

    private List<LabFileProblem>? _diagnostics;

    internal Hl7v2Message(Hl7v2MessageSlice slice, Hl7v2Delimiters delimiters, Hl7v2SegmentEntry[] segments, int[] pieceEnds,
        List<LabFileProblem>? diagnostics)
    {
        Slice = slice;
        Delimiters = delimiters;
        _segments = segments;
        _pieceEnds = pieceEnds;
        _diagnostics = diagnostics;
    }

    /// <summary>Where the message came from: its bytes, index in the file, line and segment offset.</summary>
    public Hl7v2MessageSlice Slice { get; }

    /// <summary>The message's bytes, from MSH to the end of its last segment.</summary>
    public ReadOnlyMemory<byte> Content => Slice.Content;

    /// <summary>0-based index of the message in its file or batch.</summary>
    public int Index => Slice.Index;

    public Hl7v2Delimiters Delimiters { get; }

    /// <summary>Problems that do not stop the message being read, e.g. Z-segments that are ignored.</summary>
    public IReadOnlyList<LabFileProblem> Diagnostics => _diagnostics ?? (IReadOnlyList<LabFileProblem>)[];

    public int SegmentCount => _segments.Length;

    /// <summary>The MSH segment.</summary>
    public Hl7v2Segment Header => new(this, 0);

    /// <summary>MSH-9.1, e.g. <c>ORU</c>.</summary>
    public string MessageType => Header.Field(9).Component(1).Value;

    /// <summary>MSH-9.2, e.g. <c>R01</c>.</summary>
    public string TriggerEvent => Header.Field(9).Component(2).Value;

    /// <summary>MSH-10, the sender's message control id.</summary>
    public string ControlId => Header.Field(10).Value;

    /// <summary>MSH-12.1, e.g. <c>2.5.1</c>.</summary>
    public string Version => Header.Field(12).Component(1).Value;

    /// <summary>The segment at a 0-based index (0 is MSH).</summary>
    public Hl7v2Segment Segment(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _segments.Length);
        return new Hl7v2Segment(this, index);
    }

    /// <summary>Every segment in order: <c>foreach (var segment in message.Segments())</c>.</summary>
    public Hl7v2SegmentEnumerator Segments() => new(this, 0);

    /// <summary>The segments with one id in order, e.g. <c>message.Segments("OBX")</c>.</summary>
    public Hl7v2SegmentEnumerator Segments(string id) => new(this, Hl7v2SegmentIds.KeyOf(id));

    /// <summary>The first segment with the id, if any.</summary>
    public bool TryGetSegment(string id, out Hl7v2Segment segment) => TryGetSegment(id, 1, out segment);

    /// <summary>The n-th (1-based) segment with the id, if any: <c>("OBX", 3)</c> is the <c>OBX[3]</c> of positions.</summary>
    public bool TryGetSegment(string id, int occurrence, out Hl7v2Segment segment)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(occurrence, 1);
        var key = Hl7v2SegmentIds.KeyOf(id);
        for (var i = 0; i < _segments.Length; i++)
        {
            if (_segments[i].IdKey == key && --occurrence == 0)
            {
                segment = new Hl7v2Segment(this, i);
                return true;
            }
        }

        segment = default;
        return false;
    }

    internal Encoding Text { get; set; } = Encoding.UTF8;

    internal void AddDiagnostic(LabFileProblem problem) => (_diagnostics ??= []).Add(problem);

    internal ref readonly Hl7v2SegmentEntry Entry(int index) => ref _segments[index];

    internal ReadOnlySpan<byte> Bytes(int start, int end) => Content.Span[start..end];

    /// <summary>The piece (field-separator-delimited part) of a segment: piece 0 is the id.</summary>
    internal (int Start, int End) Piece(int segment, int piece)
    {
        ref readonly var entry = ref _segments[segment];
        var start = piece == 0 ? entry.Start : _pieceEnds[entry.FirstPiece + piece - 1] + 1;
        return (start, _pieceEnds[entry.FirstPiece + piece]);
    }

    /// <summary>1-based occurrence of a segment among those with its id (the 3 of <c>OBX[3]</c>).</summary>
    internal int OccurrenceOf(int segment)
    {
        var key = _segments[segment].IdKey;
        var occurrence = 1;
        for (var i = 0; i < segment; i++)
        {
            if (_segments[i].IdKey == key) occurrence++;
        }

        return occurrence;
    }
}
