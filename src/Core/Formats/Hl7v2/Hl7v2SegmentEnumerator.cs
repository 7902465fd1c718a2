namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>Enumerates a message's segments, all or those with one id, without allocating.</summary>
public struct Hl7v2SegmentEnumerator
{
    private readonly Hl7v2Message _message;
    private readonly int _idKey;
    private int _index;

    internal Hl7v2SegmentEnumerator(Hl7v2Message message, int idKey)
    {
        _message = message;
        _idKey = idKey;
        _index = -1;
    }

    public readonly Hl7v2Segment Current => new(_message, _index);

    public readonly Hl7v2SegmentEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        while (++_index < _message.SegmentCount)
        {
            if (_idKey == 0 || _message.Entry(_index).IdKey == _idKey) return true;
        }

        return false;
    }
}
