using System.Text;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>
/// Parses HL7 v2 messages into <see cref="Hl7v2Message"/>: structure only (segments, fields and
/// the delimiters each message declares), plus the header check the pipeline needs
/// (<see cref="EnsureOruR01"/>). Malformed input is rejected with a
/// <see cref="LabFileRejectedException"/> naming the segment and field; no other exception
/// escapes for any input.
/// </summary>
public static class Hl7v2Parser
{
    private const int HeaderFieldsRequired = 12;

    /// <summary>Parses content that holds exactly one message (possibly inside FHS/BHS envelopes).</summary>
    public static Hl7v2Message Parse(ReadOnlyMemory<byte> content)
    {
        var batch = Hl7v2MessageSplitter.Split(content);
        if (batch.Messages.Count != 1) Hl7v2Problems.ThrowNotOneMessage(batch);
        return Parse(batch.Messages[0], batch.Diagnostics);
    }

    /// <summary>Parses one message found by <see cref="Hl7v2MessageSplitter"/>.</summary>
    public static Hl7v2Message Parse(Hl7v2MessageSlice slice) => Parse(slice, []);

    /// <summary>Parses one message and checks it is an ORU^R01 of a supported version: what the pipeline reads.</summary>
    public static Hl7v2Message ParseOruR01(Hl7v2MessageSlice slice)
    {
        var message = Parse(slice);
        EnsureOruR01(message);
        return message;
    }

    /// <summary>
    /// Rejects anything but an ORU^R01 (MSH-9.1 ORU, MSH-9.2 R01) of HL7 version 2.3 to 2.8
    /// (MSH-12.1, e.g. <c>2.5.1</c>), naming the message type or version found.
    /// </summary>
    public static void EnsureOruR01(Hl7v2Message message)
    {
        var header = message.Header;
        var messageType = header.Field(9);
        var type = messageType.Component(1);
        var trigger = messageType.Component(2);
        if (!type.RawEquals("ORU"u8) || !trigger.RawEquals("R01"u8))
        {
            Hl7v2Problems.ThrowUnsupportedMessageType(messageType.Position,
                Hl7v2Problems.AsMessageType(type.Raw), Hl7v2Problems.AsTriggerEvent(trigger.Raw));
        }

        var version = header.Field(12).Component(1);
        if (!IsSupportedVersion(version.Raw))
            Hl7v2Problems.ThrowUnsupportedVersion(version.Position, Hl7v2Problems.AsVersion(version.Raw));
    }

    /// <summary>2.3 to 2.8, with any patch level: 2.3, 2.3.1, 2.5.1, 2.8.2.</summary>
    private static bool IsSupportedVersion(ReadOnlySpan<byte> version)
    {
        if (version.Length < 3 || version[0] != (byte)'2' || version[1] != (byte)'.' || version[2] is < (byte)'3' or > (byte)'8')
            return false;
        var patch = version[3..];
        return patch.IsEmpty
            || (patch.Length >= 2 && patch[0] == (byte)'.' && patch[1..].IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0);
    }

    private static Hl7v2Message Parse(Hl7v2MessageSlice slice, IReadOnlyList<LabFileProblem> inherited)
    {
        var span = slice.Content.Span;

        // Two passes: count, then fill exact-size tables. Every field separator in the content
        // splits a segment, so pieces = separators + segments.
        var reader = new Hl7v2SegmentReader(span, slice.Line);
        var segmentCount = 0;
        var header = ReadOnlySpan<byte>.Empty;
        while (reader.Read())
        {
            if (segmentCount++ == 0) header = reader.Current;
        }

        var delimiters = ReadDelimiters(header, slice);
        var segments = new Hl7v2SegmentEntry[segmentCount];
        var pieceEnds = new int[span.Count(delimiters.FieldByte) + segmentCount];
        var diagnostics = inherited.Count > 0 ? new List<LabFileProblem>(inherited) : null;

        reader = new Hl7v2SegmentReader(span, slice.Line);
        var pieces = 0;
        for (var index = 0; reader.Read(); index++)
        {
            var segment = reader.Current;
            if (!Hl7v2SegmentIds.IsValid(segment)) Hl7v2Problems.ThrowBadSegmentId(slice, reader.Line, index);
            var key = Hl7v2SegmentIds.KeyOf(segment);
            if (segment.Length > 3 && segment[3] != delimiters.FieldByte)
                Hl7v2Problems.ThrowMissingFieldSeparator(slice, reader.Line, index, LabelOf(segments, index, key), delimiters.Field);
            if (index > 0 && IsEnvelope(key))
                Hl7v2Problems.ThrowEnvelopeSegmentInMessage(slice, reader.Line, index, LabelOf(segments, index, key));

            var firstPiece = pieces;
            var offset = 0;
            int next;
            while ((next = segment[offset..].IndexOf(delimiters.FieldByte)) >= 0)
            {
                pieceEnds[pieces++] = reader.Start + offset + next;
                offset += next + 1;
            }

            pieceEnds[pieces++] = reader.End;
            segments[index] = new Hl7v2SegmentEntry(reader.Start, reader.End, reader.Line, key, firstPiece, pieces - firstPiece);

            if (segment[0] == (byte)'Z')
            {
                (diagnostics ??= []).Add(new LabFileProblem(
                    Hl7v2Problems.InMessage(slice.Index, reader.Line, index, LabelOf(segments, index, key), null),
                    "Z-segment (site-defined) is kept but not read: its content is ignored"));
            }
        }

        // For MSH, pieces and fields count the same: MSH-1 (the separator) is not a piece, the id is.
        var fieldCount = segments[0].PieceCount;
        if (fieldCount < HeaderFieldsRequired) Hl7v2Problems.ThrowHeaderTooShort(slice, fieldCount);

        var message = new Hl7v2Message(slice, delimiters, segments, pieceEnds, diagnostics);
        CheckHeader(message);
        return message;
    }

    /// <summary>MSH-18 may declare ISO 8859-1; MSH-10 should be there. Neither stops the message.</summary>
    private static void CheckHeader(Hl7v2Message message)
    {
        var header = message.Header;
        var controlId = header.Field(10);
        if (controlId.IsEmpty)
        {
            message.AddDiagnostic(new LabFileProblem(controlId.Position,
                "MSH-10 (message control id) is empty: the message cannot be told apart from a resend"));
        }

        var characterSet = header.Field(18).Repetition(1);
        if (characterSet.RawEquals("8859/1"u8))
        {
            message.Text = Encoding.Latin1;
        }
        else if (!characterSet.IsEmpty && !characterSet.RawEquals("ASCII"u8) && !characterSet.RawEquals("UNICODE UTF-8"u8))
        {
            message.AddDiagnostic(new LabFileProblem(characterSet.Position,
                "MSH-18 declares a character set other than ASCII, UNICODE UTF-8 or 8859/1: text is read as UTF-8"));
        }
    }

    private static Hl7v2Delimiters ReadDelimiters(ReadOnlySpan<byte> header, Hl7v2MessageSlice slice)
    {
        if (!header.StartsWith("MSH"u8)) Hl7v2Problems.ThrowMessageDoesNotStartWithHeader(slice);
        if (header.Length < 4 || !IsDelimiter(header[3])) Hl7v2Problems.ThrowBadFieldSeparator(slice);

        var field = header[3];
        var rest = header[4..];
        var length = rest.IndexOf(field);
        var encoding = length < 0 ? rest : rest[..length];
        if (encoding.Length is < 4 or > 5)
        {
            Hl7v2Problems.ThrowBadEncodingCharacters(slice,
                "MSH-2 must hold the 4 encoding characters (component, repetition, escape, subcomponent), and optionally the truncation character");
        }

        for (var i = 0; i < encoding.Length; i++)
        {
            if (!IsDelimiter(encoding[i]))
            {
                Hl7v2Problems.ThrowBadEncodingCharacters(slice,
                    "MSH-2 encoding characters must be printable characters that are not letters, digits or spaces");
            }

            if (encoding[(i + 1)..].Contains(encoding[i]))
                Hl7v2Problems.ThrowBadEncodingCharacters(slice, "MSH-2 encoding characters must all differ from each other and from MSH-1");
        }

        return new Hl7v2Delimiters((char)field, (char)encoding[0], (char)encoding[1], (char)encoding[2], (char)encoding[3],
            encoding.Length == 5 ? (char)encoding[4] : null);
    }

    private static bool IsDelimiter(byte b) => b is > 0x20 and < 0x7F && !char.IsAsciiLetterOrDigit((char)b);

    private static bool IsEnvelope(int key) =>
        key == Hl7v2SegmentIds.Msh || key == Hl7v2SegmentIds.Bhs || key == Hl7v2SegmentIds.Bts
        || key == Hl7v2SegmentIds.Fhs || key == Hl7v2SegmentIds.Fts;

    private static string LabelOf(ReadOnlySpan<Hl7v2SegmentEntry> earlier, int index, int key)
    {
        var occurrence = 1;
        foreach (var entry in earlier[..index])
        {
            if (entry.IdKey == key) occurrence++;
        }

        return Hl7v2Problems.Label(Hl7v2SegmentIds.NameOf(key), occurrence);
    }
}
