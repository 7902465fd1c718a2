using System.Globalization;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>
/// A field, repetition, component or subcomponent of a segment: a view over the message's bytes.
/// Navigate with <see cref="Repetition"/>, <see cref="Component"/> and <see cref="Subcomponent"/>
/// (asking a field for a component means its first repetition's); a part that is not there is
/// empty, never an error. <see cref="Value"/> decodes escape sequences into a new string.
/// </summary>
public readonly struct Hl7v2Element
{
    private readonly Hl7v2Message? _message;
    private readonly int _segment;
    private readonly int _start;
    private readonly int _end;
    private readonly int _field;
    private readonly int _repetition;
    private readonly int _component;
    private readonly int _subcomponent;
    private readonly bool _literal;

    internal Hl7v2Element(Hl7v2Message message, int segment, int start, int end, int field, bool literal)
        : this(message, segment, start, end, field, 0, 0, 0, literal)
    {
    }

    private Hl7v2Element(Hl7v2Message? message, int segment, int start, int end, int field, int repetition, int component,
        int subcomponent, bool literal)
    {
        _message = message;
        _segment = segment;
        _start = start;
        _end = end;
        _field = field;
        _repetition = repetition;
        _component = component;
        _subcomponent = subcomponent;
        _literal = literal;
    }

    /// <summary>The element's bytes as sent: escape sequences not decoded, inner separators kept.</summary>
    public ReadOnlySpan<byte> Raw => _message is null ? [] : _message.Bytes(_start, _end);

    public bool IsEmpty => _end == _start;

    /// <summary>The explicit HL7 null <c>""</c>: the sender says the value is deleted, not just absent.</summary>
    public bool IsNull => Raw.SequenceEqual("\"\""u8);

    /// <summary>How many repetitions the field has (0 when empty).</summary>
    public int RepetitionCount => CountParts(_repetition == 0, Delimiters.RepetitionByte);

    /// <summary>How many components the (first repetition of the) element has (0 when empty).</summary>
    public int ComponentCount => Level < 2 ? Repetition(1).CountParts(true, Delimiters.ComponentByte) : CountParts(false, 0);

    /// <summary>How many subcomponents the (first component of the) element has (0 when empty).</summary>
    public int SubcomponentCount => Level < 3 ? Component(1).CountParts(true, Delimiters.SubcomponentByte) : CountParts(false, 0);

    /// <summary>
    /// The decoded text: escape sequences (<c>\F\ \S\ \T\ \R\ \E\ \Xhh..\ \.br\</c>) become the
    /// characters they stand for. Separators inside the element stay as they are; address a part
    /// with <see cref="Component"/> to get it alone.
    /// </summary>
    public string Value =>
        _message is null || IsEmpty ? string.Empty
        : _literal ? _message.Text.GetString(Raw)
        : Hl7v2Escapes.Decode(Raw, _message.Delimiters, _message.Text);

    /// <summary>Where the element is, e.g. segment <c>OBX[3]</c>, field <c>OBX-5.1</c>.</summary>
    public SourcePosition Position
    {
        get
        {
            if (_message is null) return SourcePosition.None;
            var segment = new Hl7v2Segment(_message, _segment);
            var name = string.Create(CultureInfo.InvariantCulture, $"{segment.Id}-{_field}")
                + (_repetition > 1 ? string.Create(CultureInfo.InvariantCulture, $"({_repetition})") : string.Empty)
                + (_component > 0 ? string.Create(CultureInfo.InvariantCulture, $".{_component}") : string.Empty)
                + (_subcomponent > 0 ? string.Create(CultureInfo.InvariantCulture, $".{_subcomponent}") : string.Empty);
            return Hl7v2Problems.InMessage(_message.Index, segment.Line, _segment, segment.ToString(), name);
        }
    }

    /// <summary>The n-th (1-based) repetition of a field.</summary>
    public Hl7v2Element Repetition(int number) =>
        Level == 0 ? Part(number, Delimiters.RepetitionByte, number, 0, 0) : Self(number, number, 0, 0);

    /// <summary>The n-th (1-based) component (of the first repetition, for a field).</summary>
    public Hl7v2Element Component(int number) =>
        Level switch
        {
            0 => Repetition(1).Component(number),
            1 => Part(number, Delimiters.ComponentByte, _repetition, number, 0),
            _ => Self(number, 1, number, 0),
        };

    /// <summary>The n-th (1-based) subcomponent (of the first component, for a field or repetition).</summary>
    public Hl7v2Element Subcomponent(int number) =>
        Level switch
        {
            < 2 => Component(1).Subcomponent(number),
            2 => Part(number, Delimiters.SubcomponentByte, _repetition, _component, number),
            _ => Self(number, 1, 1, number),
        };

    /// <summary>
    /// Writes all that decides what is read from this element into <paramref name="key"/>: its level, whether it is
    /// literal, the message's delimiters and text encoding, and its bytes (one char each). False when it does not fit.
    /// Two elements with equal keys read alike (<see cref="Hl7v2ElementCache{T}"/>).
    /// </summary>
    internal bool TryWriteContentKey(Span<char> key, out int written)
    {
        const int Head = 9;
        var raw = Raw;
        written = Head + raw.Length;
        if (_message is null || written > key.Length) return false;
        var delimiters = _message.Delimiters;
        key[0] = (char)('0' + Level);
        key[1] = _literal ? 'L' : 'E';
        key[2] = delimiters.Field;
        key[3] = delimiters.Component;
        key[4] = delimiters.Repetition;
        key[5] = delimiters.Escape;
        key[6] = delimiters.Subcomponent;
        key[7] = delimiters.Truncation ?? '\0';
        key[8] = (char)_message.Text.CodePage;
        System.Text.Encoding.Latin1.GetChars(raw, key[Head..]);
        return true;
    }

    /// <summary>Compares the raw bytes (no escape decoding) with an ASCII/UTF-8 value, allocating nothing.</summary>
    public bool RawEquals(ReadOnlySpan<byte> utf8) => Raw.SequenceEqual(utf8);

    /// <summary>
    /// When the element's raw bytes are, ignoring ASCII case, one of <paramref name="upperCodes"/> (upper-case ASCII)
    /// and hold no escape sequence, that code: what <c>Value.Trim().ToUpperInvariant()</c> gives, without allocating.
    /// </summary>
    internal string? MatchUpperAscii(ReadOnlySpan<string> upperCodes)
    {
        var raw = Raw;
        if (raw.IsEmpty || (!_literal && raw.Contains(_message!.Delimiters.EscapeByte))) return null;
        foreach (var code in upperCodes)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(raw, code)) return code;
        }

        return null;
    }

    /// <summary>
    /// When the element's raw bytes are exactly one of <paramref name="codes"/> (ASCII) and hold no escape sequence,
    /// that code: what <c>Value.Trim()</c> gives, without allocating (for the few coding-system ids most rows carry).
    /// </summary>
    internal string? MatchAscii(ReadOnlySpan<string> codes)
    {
        var raw = Raw;
        if (raw.IsEmpty || (!_literal && raw.Contains(_message!.Delimiters.EscapeByte))) return null;
        foreach (var code in codes)
        {
            if (System.Text.Ascii.Equals(raw, code)) return code;
        }

        return null;
    }

    public override string ToString() => Value;

    private Hl7v2Delimiters Delimiters => _message?.Delimiters ?? Hl7v2Delimiters.Default;

    /// <summary>0 field, 1 repetition, 2 component, 3 subcomponent. Literal MSH-1/MSH-2 never split.</summary>
    private int Level => _literal ? 3 : _subcomponent > 0 ? 3 : _component > 0 ? 2 : _repetition > 0 ? 1 : 0;

    private int CountParts(bool split, byte separator)
    {
        if (IsEmpty) return 0;
        return split && !_literal ? Raw.Count(separator) + 1 : 1;
    }

    /// <summary>The n-th part of this element split on a separator; empty (but positioned) when absent.</summary>
    private Hl7v2Element Part(int number, byte separator, int repetition, int component, int subcomponent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        var raw = Raw;
        var offset = 0;
        for (var i = 1; i < number; i++)
        {
            var next = raw[offset..].IndexOf(separator);
            if (next < 0) return With(_end, _end, repetition, component, subcomponent);
            offset += next + 1;
        }

        var length = raw[offset..].IndexOf(separator);
        var end = length < 0 ? raw.Length : offset + length;
        return With(_start + offset, _start + end, repetition, component, subcomponent);
    }

    /// <summary>An element already at or below the level asked for is its own first part, and has no other.</summary>
    private Hl7v2Element Self(int number, int repetition, int component, int subcomponent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        var rep = _repetition == 0 ? repetition : _repetition;
        var comp = _component == 0 ? component : _component;
        var sub = _subcomponent == 0 ? subcomponent : _subcomponent;
        return number == 1 ? With(_start, _end, rep, comp, sub) : With(_end, _end, rep, comp, sub);
    }

    private Hl7v2Element With(int start, int end, int repetition, int component, int subcomponent) =>
        new(_message, _segment, start, end, _field, repetition, component, subcomponent, _literal);
}
