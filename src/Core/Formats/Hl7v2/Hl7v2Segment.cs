using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>One segment of a message: a view, allocating nothing until a value is asked for.</summary>
public readonly struct Hl7v2Segment
{
    private readonly Hl7v2Message? _message;
    private readonly int _index;

    internal Hl7v2Segment(Hl7v2Message message, int index)
    {
        _message = message;
        _index = index;
    }

    /// <summary>The segment id, e.g. <c>OBX</c>.</summary>
    public string Id => _message is null ? string.Empty : Hl7v2SegmentIds.NameOf(Entry.IdKey);

    /// <summary>0-based index of the segment in its message (0 is MSH).</summary>
    public int Index => _index;

    /// <summary>1-based occurrence among the message's segments with the same id (the 3 of <c>OBX[3]</c>).</summary>
    public int Occurrence => _message?.OccurrenceOf(_index) ?? 0;

    /// <summary>The 1-based line of the file the segment is on.</summary>
    public int Line => _message is null ? 0 : Entry.Line;

    /// <summary>Z-segments are site-defined: kept, but nothing downstream reads them.</summary>
    public bool IsZSegment => _message is not null && (Entry.IdKey & 0xFF) == 'Z';

    /// <summary>The number of fields, trailing empty ones included (for MSH, counting MSH-1).</summary>
    public int FieldCount => _message is null ? 0 : IsHeader ? Entry.PieceCount : Entry.PieceCount - 1;

    /// <summary>The segment's bytes, undecoded, terminator excluded.</summary>
    public ReadOnlySpan<byte> Raw => _message is null ? [] : _message.Bytes(Entry.Start, Entry.End);

    /// <summary>Where the segment is, for diagnostics.</summary>
    public SourcePosition Position =>
        _message is null
            ? SourcePosition.None
            : Hl7v2Problems.InMessage(_message.Index, Line, _index, Hl7v2Problems.Label(Id, Occurrence), null);

    public bool Is(string id) => _message is not null && Entry.IdKey == Hl7v2SegmentIds.KeyOf(id);

    /// <summary>
    /// A field by its 1-based number; a field past the end of the segment is empty. For MSH,
    /// MSH-1 is the field separator and MSH-2 the encoding characters, both taken literally.
    /// </summary>
    public Hl7v2Element Field(int number)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        if (_message is null) return default;

        ref readonly var entry = ref Entry;
        if (IsHeader && number <= 2)
        {
            var (start, end) = number == 1 ? (entry.Start + 3, entry.Start + 4) : _message.Piece(_index, 1);
            return new Hl7v2Element(_message, _index, start, end, number, literal: true);
        }

        var piece = IsHeader ? number - 1 : number;
        if (piece >= entry.PieceCount) return new Hl7v2Element(_message, _index, entry.End, entry.End, number, literal: false);
        var (pieceStart, pieceEnd) = _message.Piece(_index, piece);
        return new Hl7v2Element(_message, _index, pieceStart, pieceEnd, number, literal: false);
    }

    public override string ToString() => _message is null ? string.Empty : Hl7v2Problems.Label(Id, Occurrence);

    private ref readonly Hl7v2SegmentEntry Entry => ref _message!.Entry(_index);

    private bool IsHeader => Entry.IdKey == Hl7v2SegmentIds.Msh;
}
