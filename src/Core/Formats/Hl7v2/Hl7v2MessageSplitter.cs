using System.Buffers;
using System.Globalization;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>
/// Splits an HL7 v2 file into its messages: every MSH starts one, and FHS/BHS/BTS/FTS envelope
/// segments end the one before. It looks only at segment starts, so a broken message does not stop
/// the others from being found; each message is checked when it is parsed
/// (<see cref="Hl7v2Parser.Parse(Hl7v2MessageSlice)"/>).
/// </summary>
public static class Hl7v2MessageSplitter
{
    private const byte EndOfFileMark = 0x1A;
    private const byte Nul = 0x00;

    private static readonly SearchValues<byte> TrailingBytes = SearchValues.Create(
        [EndOfFileMark, Nul, Hl7v2SegmentReader.CarriageReturn, Hl7v2SegmentReader.LineFeed, (byte)' ', (byte)'\t']);

    /// <summary>
    /// Finds the messages of a file (UTF-8 or ASCII bytes; BOM and MLLP framing allowed; a DOS end-of-file mark or NUL
    /// padding after the last segment is not content).
    /// </summary>
    /// <param name="content">The whole file.</param>
    /// <param name="maxSegmentBytes">The longest segment accepted (<see cref="LimitsOptions.MaxLineBytes"/>).</param>
    /// <exception cref="LabFileRejectedException">No MSH at all, a segment outside any message, or one too long.</exception>
    public static Hl7v2Batch Split(ReadOnlyMemory<byte> content, int maxSegmentBytes = int.MaxValue)
    {
        content = content[..EndOfContent(content.Span)];
        var span = content.Span;
        var reader = new Hl7v2SegmentReader(span);
        var messages = new List<Hl7v2MessageSlice>();
        List<LabFileProblem>? diagnostics = null;
        var state = new EnvelopeState();
        var segmentIndex = -1;
        var current = (Start: -1, End: -1, Line: 0, Segment: 0);
        var stray = (Line: 0, Segment: -1, Label: (string?)null);

        while (reader.Read())
        {
            segmentIndex++;
            var segment = reader.Current;
            if (segment.Length > maxSegmentBytes) Hl7v2Problems.ThrowSegmentTooLong(reader.Line, segmentIndex, segment, maxSegmentBytes);
            if (segment.StartsWith("MSH"u8))
            {
                // Even "MSH" followed by a letter starts a message: parsing then names the bad MSH-1.
                Close();
                current = (reader.Start, reader.End, reader.Line, segmentIndex);
            }
            else if (IsEnvelope(segment))
            {
                Close();
                ReadEnvelope(segment, reader.Line, segmentIndex, ref state, ref diagnostics);
            }
            else if (current.Start >= 0)
            {
                current.End = reader.End;
            }
            else if (stray.Segment < 0)
            {
                stray = (reader.Line, segmentIndex, Hl7v2SegmentIds.IsValid(segment)
                    ? Hl7v2Problems.Label(Hl7v2SegmentIds.NameOf(Hl7v2SegmentIds.KeyOf(segment)), 1)
                    : null);
            }
        }

        Close();
        if (messages.Count == 0)
            Hl7v2Problems.ThrowNoMessageHeader(stray.Segment < 0 ? 1 : stray.Line, Math.Max(stray.Segment, 0), stray.Label);
        if (stray.Segment >= 0)
            Hl7v2Problems.ThrowSegmentOutsideMessage(stray.Line, stray.Segment, stray.Label);
        if (state.OpenBatchLine > 0)
            Add(ref diagnostics, Hl7v2Problems.InFile(state.OpenBatchLine, state.OpenBatchSegment, "BHS", null),
                "the batch header BHS has no BTS trailer: the batch may be truncated");

        return new Hl7v2Batch(messages, state.Batches, diagnostics ?? (IReadOnlyList<LabFileProblem>)[]);

        void Close()
        {
            if (current.Start < 0) return;
            messages.Add(new Hl7v2MessageSlice(content[current.Start..current.End], messages.Count, current.Line, current.Segment, current.Start));
            state.MessagesInBatch++;
            current = (-1, -1, 0, 0);
        }
    }

    /// <summary>
    /// Where the file's content ends: before a DOS end-of-file mark (0x1A, Ctrl-Z, as old Windows lab systems append) or
    /// NUL padding, when only those and line breaks or blanks follow it. A 0x1A with anything else after it is content, and
    /// is rejected where it stands.
    /// </summary>
    private static int EndOfContent(ReadOnlySpan<byte> content)
    {
        var trailing = content.LastIndexOfAnyExcept(TrailingBytes) + 1;
        var mark = content[trailing..].IndexOfAny(EndOfFileMark, Nul);
        return mark < 0 ? content.Length : trailing + mark;
    }

    private static bool IsEnvelope(ReadOnlySpan<byte> segment) =>
        Hl7v2SegmentIds.Starts(segment, "BHS"u8) || Hl7v2SegmentIds.Starts(segment, "BTS"u8)
        || Hl7v2SegmentIds.Starts(segment, "FHS"u8) || Hl7v2SegmentIds.Starts(segment, "FTS"u8);

    private static void ReadEnvelope(ReadOnlySpan<byte> segment, int line, int segmentIndex, ref EnvelopeState state,
        ref List<LabFileProblem>? diagnostics)
    {
        var key = Hl7v2SegmentIds.KeyOf(segment);
        if (key == Hl7v2SegmentIds.Bhs || key == Hl7v2SegmentIds.Fhs)
        {
            if (key == Hl7v2SegmentIds.Fhs)
            {
                state.BatchesInFile = 0;
            }
            else
            {
                if (state.OpenBatchLine > 0)
                    Add(ref diagnostics, Hl7v2Problems.InFile(state.OpenBatchLine, state.OpenBatchSegment, "BHS", null),
                        "the batch header BHS has no BTS trailer before the next batch: the batch may be truncated");
                state.OpenBatchLine = line;
                state.OpenBatchSegment = segmentIndex;
                state.Batches++;
                state.BatchesInFile++;
            }

            // The envelope's own separator; trailers are read with it.
            state.FieldSeparator = segment.Length > 3 ? segment[3] : (byte)'|';
            state.MessagesInBatch = 0;
            return;
        }

        var declared = FirstField(segment, state.FieldSeparator);
        if (key == Hl7v2SegmentIds.Bts)
        {
            CheckCount(declared, state.MessagesInBatch, "BTS", "BTS-1 (batch message count)", "message(s)", line, segmentIndex, ref diagnostics);
            state.OpenBatchLine = 0;
            state.MessagesInBatch = 0;
        }
        else
        {
            CheckCount(declared, state.BatchesInFile, "FTS", "FTS-1 (file batch count)", "batch(es)", line, segmentIndex, ref diagnostics);
        }
    }

    private static void CheckCount(ReadOnlySpan<byte> declared, int found, string segment, string field, string what, int line,
        int segmentIndex, ref List<LabFileProblem>? diagnostics)
    {
        if (declared.IsEmpty) return;
        if (!int.TryParse(declared, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            Add(ref diagnostics, Hl7v2Problems.InFile(line, segmentIndex, segment, segment + "-1"), $"{field} is not a number");
        }
        else if (count != found)
        {
            Add(ref diagnostics, Hl7v2Problems.InFile(line, segmentIndex, segment, segment + "-1"), string.Create(
                CultureInfo.InvariantCulture, $"{field} says {count} but {found} {what} were found: content may be missing"));
        }
    }

    private static ReadOnlySpan<byte> FirstField(ReadOnlySpan<byte> segment, byte separator)
    {
        if (segment.Length <= 4 || segment[3] != separator) return [];
        var rest = segment[4..];
        var end = rest.IndexOf(separator);
        return end < 0 ? rest : rest[..end];
    }

    private static void Add(ref List<LabFileProblem>? diagnostics, SourcePosition position, string reason) =>
        (diagnostics ??= []).Add(new LabFileProblem(position, reason));

    private struct EnvelopeState
    {
        public int Batches;
        public int BatchesInFile;
        public int MessagesInBatch;
        public int OpenBatchLine;
        public int OpenBatchSegment;
        public byte FieldSeparator;
    }
}
