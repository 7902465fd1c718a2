using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>
/// Positions and reasons for HL7 v2 problems, and the throw helpers that keep rejection code out of
/// the parsing loops. Reasons name segments, fields and rules, never values (no PHI); the only
/// input echoed is a message type or version that looks like a code.
/// </summary>
internal static class Hl7v2Problems
{
    public const string SupportedVersions = "versions 2.3 to 2.8 are read";

    /// <summary>A position inside a message: <c>OBX[3]</c> is the third OBX, the path holds the segment's index.</summary>
    public static SourcePosition InMessage(int messageIndex, int line, int segmentIndex, string? segmentLabel, string? field) => new()
    {
        Line = line,
        Segment = segmentLabel,
        Field = field,
        Path = string.Create(CultureInfo.InvariantCulture, $"message[{messageIndex}].segment[{segmentIndex}]"),
    };

    /// <summary>A position in the file outside any message (batch envelope, stray segments).</summary>
    public static SourcePosition InFile(int line, int fileSegmentIndex, string? segmentLabel, string? field) => new()
    {
        Line = line,
        Segment = segmentLabel,
        Field = field,
        Path = string.Create(CultureInfo.InvariantCulture, $"segment[{fileSegmentIndex}]"),
    };

    public static string Label(string id, int occurrence) => string.Create(CultureInfo.InvariantCulture, $"{id}[{occurrence}]");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowNoMessageHeader(int line, int fileSegmentIndex, string? firstSegment) =>
        throw new LabFileRejectedException(InFile(line, fileSegmentIndex, firstSegment, null),
            "no MSH segment: an HL7 v2 message starts with an MSH (message header) segment, and this content has none");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowSegmentOutsideMessage(int line, int fileSegmentIndex, string? segment) =>
        throw new LabFileRejectedException(InFile(line, fileSegmentIndex, segment, null),
            segment is null
                ? "a line outside any message (before its MSH, or after a batch trailer) is not a segment"
                : "a segment outside any message (before its MSH, or after a batch trailer) would be lost");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowSegmentTooLong(int line, int fileSegmentIndex, ReadOnlySpan<byte> segment, int maxSegmentBytes) =>
        throw new LabFileRejectedException(
            InFile(line, fileSegmentIndex, Hl7v2SegmentIds.IsValid(segment) ? Hl7v2SegmentIds.NameOf(Hl7v2SegmentIds.KeyOf(segment)) : null, null),
            LimitsOptions.Breach(
                string.Create(CultureInfo.InvariantCulture, $"the segment is {segment.Length} bytes, longer than an HL7 v2 segment may be"),
                nameof(LimitsOptions.MaxLineBytes), LimitsOptions.Bytes(maxSegmentBytes)));

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowMessageDoesNotStartWithHeader(Hl7v2MessageSlice slice) =>
        throw new LabFileRejectedException(InMessage(slice.Index, slice.Line, 0, null, null),
            "no MSH segment: the message does not start with an MSH (message header) segment");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowBadFieldSeparator(Hl7v2MessageSlice slice) =>
        throw new LabFileRejectedException(InMessage(slice.Index, slice.Line, 0, "MSH[1]", "MSH-1"),
            "MSH-1 (field separator) must be a printable character that is not a letter, digit or space");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowBadEncodingCharacters(Hl7v2MessageSlice slice, string reason) =>
        throw new LabFileRejectedException(InMessage(slice.Index, slice.Line, 0, "MSH[1]", "MSH-2"), reason);

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowHeaderTooShort(Hl7v2MessageSlice slice, int fieldCount) =>
        throw new LabFileRejectedException(InMessage(slice.Index, slice.Line, 0, "MSH[1]", "MSH-12"), string.Create(
            CultureInfo.InvariantCulture,
            $"MSH has {fieldCount} field(s) but must reach MSH-12 (version), with MSH-9 (message type) and MSH-10 (control id) before it"));

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowBadSegmentId(Hl7v2MessageSlice slice, int line, int segmentIndex) =>
        throw new LabFileRejectedException(InMessage(slice.Index, line, segmentIndex, null, null), string.Create(
            CultureInfo.InvariantCulture,
            $"segment {segmentIndex + 1} of the message does not start with a segment id (three uppercase letters or digits)"));

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowMissingFieldSeparator(Hl7v2MessageSlice slice, int line, int segmentIndex, string label, char separator) =>
        throw new LabFileRejectedException(InMessage(slice.Index, line, segmentIndex, label, null),
            $"the segment id is not followed by the message's field separator '{separator}'");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowEnvelopeSegmentInMessage(Hl7v2MessageSlice slice, int line, int segmentIndex, string label) =>
        throw new LabFileRejectedException(InMessage(slice.Index, line, segmentIndex, label, null),
            "a message header or batch segment inside a message: split the file with Hl7v2MessageSplitter first");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowNotOneMessage(Hl7v2Batch batch) =>
        throw new LabFileRejectedException(
            InMessage(batch.Messages[1].Index, batch.Messages[1].Line, 0, "MSH[1]", null), string.Create(
                CultureInfo.InvariantCulture,
                $"the content holds {batch.Messages.Count} messages where one was expected: split it with Hl7v2MessageSplitter"));

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowUnsupportedMessageType(SourcePosition position, string? type, string? trigger) =>
        throw new LabFileRejectedException(position,
            (type, trigger) switch
            {
                (null, _) => "MSH-9 (message type) is empty or not a message type code",
                (_, null) => $"message type {type} with an empty or malformed trigger event (MSH-9.2) is not supported",
                _ => $"message type {type}^{trigger} is not supported",
            } + ": only ORU^R01 (unsolicited observation result) messages are read");

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowUnsupportedVersion(SourcePosition position, string? found) =>
        throw new LabFileRejectedException(position, found is null
            ? $"MSH-12 (version) is empty or not a version number: {SupportedVersions}"
            : $"HL7 version {found} is not supported: {SupportedVersions}");

    // Values are echoed in a reason only when they have the shape of a code, so a corrupted or
    // shifted field never carries data into a log.

    /// <summary>A message type as HL7 table 0076 writes them: three uppercase letters.</summary>
    public static string? AsMessageType(ReadOnlySpan<byte> raw) =>
        raw.Length == 3 && raw.IndexOfAnyExceptInRange((byte)'A', (byte)'Z') < 0 ? Encoding.ASCII.GetString(raw) : null;

    /// <summary>
    /// A trigger event as HL7 table 0003 writes them: an uppercase letter, then two uppercase letters or digits
    /// (R01, A04, and the patient-care PC1..PCL of PPR/PGL).
    /// </summary>
    public static string? AsTriggerEvent(ReadOnlySpan<byte> raw) =>
        raw.Length == 3 && raw[0] is >= (byte)'A' and <= (byte)'Z' && raw[1..].IndexOfAnyExcept(TriggerCharacters) < 0
            ? Encoding.ASCII.GetString(raw)
            : null;

    private static readonly SearchValues<byte> TriggerCharacters = SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"u8);

    /// <summary>A version: digits and dots, at most 10 characters.</summary>
    public static string? AsVersion(ReadOnlySpan<byte> raw) =>
        raw.Length is > 0 and <= 10 && raw.IndexOfAnyExcept(VersionCharacters) < 0 ? Encoding.ASCII.GetString(raw) : null;

    private static readonly SearchValues<byte> VersionCharacters = SearchValues.Create("0123456789."u8);
}
