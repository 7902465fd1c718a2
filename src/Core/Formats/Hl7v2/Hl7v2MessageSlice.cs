namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>
/// One message of an HL7 v2 file as <see cref="Hl7v2MessageSplitter"/> found it: the bytes from its
/// MSH to the end of its last segment, and where it sits in the file (for provenance and positions).
/// </summary>
/// <param name="Content">The message's bytes: a slice of the file, not a copy.</param>
/// <param name="Index">0-based index of the message in the file (in its batch, for a batch file).</param>
/// <param name="Line">1-based line of the message's MSH in the file.</param>
/// <param name="SegmentOffset">0-based index of the message's MSH among all the file's segments.</param>
/// <param name="ByteOffset">Offset of the message's MSH in the file's bytes.</param>
public sealed record Hl7v2MessageSlice(ReadOnlyMemory<byte> Content, int Index, int Line, int SegmentOffset, int ByteOffset);
