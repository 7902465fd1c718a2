using PrecisionMed.Core.Formats.Hl7v2;
using PrecisionMed.Core.LabReports;
using static PrecisionMed.Core.Tests.Formats.Hl7v2.Hl7v2TestMessages;

namespace PrecisionMed.Core.Tests.Formats.Hl7v2;

[Trait("Tier", "Fast")]
public sealed class Hl7v2MessageSplitterTests
{
    private static string Message(int n) =>
        $"MSH|^~\\&|LIMS|LAB|EMR|HOSP|20260314||ORU^R01|CTRL-{n}|P|2.5.1\nPID|1||MRN-{n}\nOBX|1|ST|X^Y^L||v{n}||||||F\n";

    [Fact]
    public void Split_BatchOfThreeInsideFhsBhs_ThreeMessagesWithIndexesAndOffsets()
    {
        var text = "FHS|^~\\&|LIMS|LAB\nBHS|^~\\&|LIMS|LAB\n" + Message(1) + Message(2) + "\n" + Message(3) + "BTS|3\nFTS|1\n";

        var batch = Hl7v2MessageSplitter.Split(Bytes(text));

        Assert.Equal(3, batch.Messages.Count);
        Assert.Equal(1, batch.BatchCount);
        Assert.Empty(batch.Diagnostics);
        Assert.Equal([0, 1, 2], batch.Messages.Select(m => m.Index));
        Assert.Equal([3, 6, 10], batch.Messages.Select(m => m.Line));
        Assert.Equal([2, 5, 8], batch.Messages.Select(m => m.SegmentOffset));
        var messages = batch.Messages.Select(Hl7v2Parser.ParseOruR01).ToList();
        Assert.Equal(["CTRL-1", "CTRL-2", "CTRL-3"], messages.Select(m => m.ControlId));
        Assert.Equal(["v1", "v2", "v3"], messages.Select(m => m.Segment(2).Field(5).Value));
        Assert.All(messages, m => Assert.Equal(3, m.SegmentCount));
        var position = messages[2].Segment(2).Field(5).Position;
        Assert.Equal((12L, "message[2].segment[2]"), (position.Line!.Value, position.Path));
    }

    [Fact]
    public void Split_BatchWithCrSeparatorsAndTwoBatches_CountsBatches()
    {
        var text = ("FHS|^~\\&\rBHS|^~\\&\r" + Message(1) + "BTS|1\rBHS|^~\\&\r" + Message(2) + Message(3) + "BTS|2\rFTS|2\r").Replace('\n', '\r');

        var batch = Hl7v2MessageSplitter.Split(Bytes(text));

        Assert.Equal(3, batch.Messages.Count);
        Assert.Equal(2, batch.BatchCount);
        Assert.Empty(batch.Diagnostics);
    }

    [Fact]
    public void Split_TrailerCountDisagrees_DiagnosticOnTrailerField()
    {
        var text = "BHS|^~\\&\n" + Message(1) + Message(2) + "BTS|3\n";

        var batch = Hl7v2MessageSplitter.Split(Bytes(text));

        Assert.Equal(2, batch.Messages.Count);
        var diagnostic = Assert.Single(batch.Diagnostics);
        Assert.Equal(("BTS", "BTS-1", 8L), (diagnostic.Position.Segment, diagnostic.Position.Field, diagnostic.Position.Line!.Value));
        Assert.Contains("says 3 but 2", diagnostic.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_BatchWithoutTrailer_DiagnosticPossibleTruncation()
    {
        var batch = Hl7v2MessageSplitter.Split(Bytes("BHS|^~\\&\n" + Message(1)));

        Assert.Single(batch.Messages);
        Assert.Contains("truncated", Assert.Single(batch.Diagnostics).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_ConcatenatedMllpFrames_OneMessagePerFrame()
    {
        byte[] content = [0x0B, .. Bytes(Message(1).Replace('\n', '\r')), 0x1C, 0x0D, 0x0B, .. Bytes(Message(2).Replace('\n', '\r')), 0x1C, 0x0D];

        var batch = Hl7v2MessageSplitter.Split(content);

        Assert.Equal(2, batch.Messages.Count);
        Assert.Equal(["CTRL-1", "CTRL-2"], batch.Messages.Select(m => Hl7v2Parser.ParseOruR01(m).ControlId));
        Assert.Equal(1, batch.Messages[0].ByteOffset);
    }

    [Fact]
    public void Split_BrokenMessageAmongGoodOnes_OnlyThatMessageRejected()
    {
        var text = Message(1) + Message(2).Replace("PID|1", "pid|1", StringComparison.Ordinal) + Message(3);

        var batch = Hl7v2MessageSplitter.Split(Bytes(text));

        Assert.Equal(3, batch.Messages.Count);
        var ex = Assert.Throws<LabFileRejectedException>(() => Hl7v2Parser.ParseOruR01(batch.Messages[1]));
        Assert.Equal((5L, "message[1].segment[1]"), (ex.Problem.Position.Line!.Value, ex.Problem.Position.Path));
        Assert.Equal("CTRL-3", Hl7v2Parser.ParseOruR01(batch.Messages[2]).ControlId);
    }

    [Theory]
    [InlineData(new byte[] { 0x1A })]
    [InlineData(new byte[] { 0x0D, 0x0A, 0x1A })]
    [InlineData(new byte[] { 0x1A, 0x0D, 0x0A })]
    [InlineData(new byte[] { 0x1A, 0x00, 0x00, 0x00 })]
    [InlineData(new byte[] { 0x0A, 0x00, 0x00 })]
    public void Split_DosEndOfFileOrNulsAfterLastSegment_IgnoredNotReadIntoTheSegment(byte[] tail)
    {
        // FHIR-Converter's ORU-R01-RMGEAD ends at its last OBX-11 with no terminator: a Ctrl-Z written right after it
        // would become part of that field.
        var file = Corpus("general-lab/msft_ORU-R01-RMGEAD.hl7");
        Assert.Equal((byte)'F', file[^1]);

        byte[] content = [.. file, .. tail];

        var batch = Hl7v2MessageSplitter.Split(content);

        var message = Hl7v2Parser.ParseOruR01(Assert.Single(batch.Messages));
        var last = message.Segment(message.SegmentCount - 1);
        Assert.Equal(("OBX", "F"), (last.Id, last.Field(11).Value));
        Assert.Equal(file.Length, batch.Messages[0].Content.Length + batch.Messages[0].ByteOffset);
    }

    [Theory]
    [InlineData("\u001aOBX|2|ST|X^Y^L||w||||||F\n")]
    [InlineData("\u001a\n\u0000x")]
    public void Split_EndOfFileByteWithContentAfterIt_StillRejected(string tail)
    {
        var batch = Hl7v2MessageSplitter.Split(Bytes(Message(1) + tail));

        var ex = Assert.Throws<LabFileRejectedException>(() => Hl7v2Parser.ParseOruR01(Assert.Single(batch.Messages)));
        Assert.Contains("does not start with a segment id", ex.Problem.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("OBX|1|ST|X^Y^L||v||||||F\nOBX|2|ST|X^Y^L||w||||||F\n")]
    [InlineData("\n\n  \n")]
    [InlineData("")]
    public void Split_NoMessageHeader_RejectedNoMsh(string text)
    {
        var ex = Assert.Throws<LabFileRejectedException>(() => Hl7v2MessageSplitter.Split(Bytes(text)));

        Assert.StartsWith("no MSH segment", ex.Problem.Reason, StringComparison.Ordinal);
        Assert.Equal(1, ex.Problem.Position.Line);
    }

    [Fact]
    public void Split_SegmentBeforeFirstMessage_RejectedSoNothingIsLost()
    {
        var text = "BHS|^~\\&\nNTE|1||orphan\n" + Message(1) + "BTS|1\n";

        var ex = Assert.Throws<LabFileRejectedException>(() => Hl7v2MessageSplitter.Split(Bytes(text)));

        Assert.Equal(("NTE[1]", 2L, "segment[1]"), (ex.Problem.Position.Segment, ex.Problem.Position.Line!.Value, ex.Problem.Position.Path));
        Assert.Contains("outside any message", ex.Problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ContentWithTwoMessages_RejectedAskingForSplit()
    {
        var ex = Assert.Throws<LabFileRejectedException>(() => Parse(Message(1) + Message(2)));

        Assert.Contains("2 messages", ex.Problem.Reason, StringComparison.Ordinal);
        Assert.Equal(4, ex.Problem.Position.Line);
    }

    [Fact]
    public void Split_MessageSlices_ShareTheFileBytes()
    {
        var content = new ReadOnlyMemory<byte>(Bytes(Message(1) + Message(2)));

        var batch = Hl7v2MessageSplitter.Split(content);

        Assert.True(content.Span.Overlaps(batch.Messages[1].Content.Span));
        Assert.Equal(content.Span[batch.Messages[1].ByteOffset..].Length - 1, batch.Messages[1].Content.Length); // final LF excluded
    }
}
