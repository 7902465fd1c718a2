using PrecisionMed.Core.Formats.Hl7v2;
using PrecisionMed.Core.LabReports;
using static PrecisionMed.Core.Tests.Formats.Hl7v2.Hl7v2TestMessages;

namespace PrecisionMed.Core.Tests.Formats.Hl7v2;

/// <summary>Message structure: terminators, framing, delimiters from MSH, segments, and what is rejected.</summary>
[Trait("Tier", "Fast")]
public sealed class Hl7v2ParserTests
{
    [Fact]
    public void Parse_Header_NumbersMshFieldsAsTheStandard()
    {
        var message = Parse(Oru());
        var msh = message.Header;

        Assert.Equal("MSH", msh.Id);
        Assert.Equal("|", msh.Field(1).Value);
        Assert.Equal("^~\\&", msh.Field(2).Value);
        Assert.Equal("LIMS", msh.Field(3).Value);
        Assert.Equal("ORU^R01^ORU_R01", msh.Field(9).Value);
        Assert.Equal("CTRL-1", msh.Field(10).Value);
        Assert.Equal("2.5.1", msh.Field(12).Value);
        Assert.Equal(12, msh.FieldCount);
        Assert.Equal(("ORU", "R01", "CTRL-1", "2.5.1"), (message.MessageType, message.TriggerEvent, message.ControlId, message.Version));
        Assert.Equal(Hl7v2Delimiters.Default, message.Delimiters);
    }

    [Theory]
    [InlineData("\r")]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void Parse_SegmentTerminator_ReadsEverySegmentOnItsLine(string terminator)
    {
        var message = Parse(Oru(terminator));

        Assert.Equal(6, message.SegmentCount);
        Assert.Equal([1, 2, 3, 4, 5, 6], Enumerable.Range(0, 6).Select(i => message.Segment(i).Line));
        Assert.Equal("c.68_69del", message.Segment(4).Field(5).Value);
        Assert.Empty(message.Diagnostics);
    }

    [Fact]
    public void Parse_MixedTerminatorsBlankLinesAndBom_Tolerated()
    {
        var text = "\uFEFF" + Header + "\r\n\r\nPID|1||X\n   \nOBR|1\rOBX|1|ST|A^B^LN||v||||||F|||\n\n";

        var message = Parse(text);

        Assert.Equal(["MSH", "PID", "OBR", "OBX"], Segments(message).Select(s => s.Id));
        Assert.Equal([1, 3, 5, 6], Segments(message).Select(s => s.Line));
        var obx = message.Segment(3);
        Assert.Equal(14, obx.FieldCount); // trailing empty fields are kept and empty
        Assert.True(obx.Field(14).IsEmpty);
        Assert.True(obx.Field(40).IsEmpty);
    }

    [Fact]
    public void Parse_MllpFramedMessage_FramingStripped()
    {
        byte[] framed = [0x0B, .. Bytes(Oru()), 0x1C, 0x0D];

        var message = Hl7v2Parser.Parse(framed);

        Assert.Equal(6, message.SegmentCount);
        Assert.Equal("LA6706-1", message.Segment(5).Field(5).Component(1).Value);
        Assert.Equal("OBX|3|CWE|53034-5^Allelic state^LN|2a|LA6706-1^Heterozygous^LN||||||F"u8, message.Segment(5).Raw);
    }

    [Fact]
    public void Parse_HashAsComponentSeparator_DelimitersReadFromMsh2()
    {
        var text = "MSH|#~\\&|LIMS|LAB|EMR|HOSP|20260314||ORU#R01|C1|P|2.5.1\rOBX|1|CWE|48018-6#Gene studied#LN||HGNC:1100#BRCA1\\S\\x#HGNC||||||F\r";

        var message = Parse(text);
        Hl7v2Parser.EnsureOruR01(message);

        Assert.Equal('#', message.Delimiters.Component);
        Assert.Equal(("ORU", "R01"), (message.MessageType, message.TriggerEvent));
        Assert.Equal("BRCA1#x", message.Segment(1).Field(5).Component(2).Value);
        Assert.Equal("HGNC", message.Segment(1).Field(5).Component(3).Value);
    }

    [Fact]
    public void Parse_EveryDelimiterUnusual_ReadsAndDecodes()
    {
        // Field '!', component '@', repetition '*', escape '$', subcomponent '%', truncation '#'.
        var text = "MSH!@*$%#!LIMS!LAB!EMR!HOSP!20260314!!ORU@R01!C1!P!2.7\rPID!1!!A@@@X%1.2%ISO*B@@@Y!!N$S$x$F$y$E$$.br$z\r";

        var message = Parse(text);
        Hl7v2Parser.EnsureOruR01(message);

        Assert.Equal(new Hl7v2Delimiters('!', '@', '*', '$', '%', '#'), message.Delimiters);
        Assert.Equal("!", message.Header.Field(1).Value);
        Assert.Equal("@*$%#", message.Header.Field(2).Value);
        var pid3 = message.Segment(1).Field(3);
        Assert.Equal(2, pid3.RepetitionCount);
        Assert.Equal("1.2", pid3.Repetition(1).Component(4).Subcomponent(2).Value);
        Assert.Equal("Y", pid3.Repetition(2).Component(4).Value);
        Assert.Equal("N@x!y$\nz", message.Segment(1).Field(5).Value);
    }

    [Fact]
    public void Parse_ZSegment_KeptAndReportedAsIgnored()
    {
        var message = Parse(Oru("\r") + "ZSP|1|local stuff\rSPM|1\r");

        var z = message.Segment(6);
        Assert.True(z.IsZSegment);
        Assert.Equal("local stuff", z.Field(2).Value);
        var diagnostic = Assert.Single(message.Diagnostics);
        Assert.Equal("ZSP[1]", diagnostic.Position.Segment);
        Assert.Equal(7, diagnostic.Position.Line);
        Assert.Contains("ignored", diagnostic.Reason, StringComparison.Ordinal);
        Assert.Equal("SPM", message.Segment(7).Id);
    }

    [Fact]
    public void Parse_EmptyControlId_Diagnostic()
    {
        var message = Parse("MSH|^~\\&|A|B|C|D|20260314||ORU^R01||P|2.5.1\r");

        var diagnostic = Assert.Single(message.Diagnostics);
        Assert.Equal("MSH-10", diagnostic.Position.Field);
    }

    [Theory]
    [InlineData("PID|1\rOBX|1|ST\r", "no MSH", 1, null)]
    [InlineData("", "no MSH", 1, null)]
    [InlineData("MSH|^~\\&|A|B|C|D|20260314||ORU^R01|1\r", "MSH-12", 1, "MSH-12")]
    [InlineData("MSH|^~\\|A|B|C|D|20260314||ORU^R01|1|P|2.5.1\r", "MSH-2", 1, "MSH-2")]
    [InlineData("MSH|^^\\&|A|B|C|D|20260314||ORU^R01|1|P|2.5.1\r", "differ", 1, "MSH-2")]
    [InlineData("MSH|^~a&|A|B|C|D|20260314||ORU^R01|1|P|2.5.1\r", "letters", 1, "MSH-2")]
    [InlineData("MSHA^~\\&A|B|C|D|20260314||ORU^R01|1|P|2.5.1\r", "MSH-1", 1, "MSH-1")]
    [InlineData("MSH ^~\\& A\r", "MSH-1", 1, "MSH-1")]
    [InlineData("MSH\r", "MSH-1", 1, "MSH-1")]
    public void Parse_MalformedHeader_RejectedWithPosition(string text, string reason, int line, string? field)
    {
        var ex = Assert.Throws<LabFileRejectedException>(() => Parse(text));

        Assert.Contains(reason, ex.Problem.Reason, StringComparison.Ordinal);
        Assert.Equal(line, ex.Problem.Position.Line);
        Assert.Equal(field, ex.Problem.Position.Field);
    }

    [Theory]
    [InlineData("obx|1|ST", "segment id", null)]
    [InlineData("OB|1", "segment id", null)]
    [InlineData("O-X|1", "segment id", null)]
    [InlineData("OBXX|1", "field separator", "OBX[2]")]
    [InlineData("OBX^1", "field separator", "OBX[2]")]
    public void Parse_MalformedSegment_RejectedNamingSegmentAndLine(string badSegment, string reason, string? segment)
    {
        var text = Oru("\n").Replace("OBX|2|ST|48004-6^DNA change (c.HGVS)^LN|2a|c.68_69del||||||F", badSegment, StringComparison.Ordinal);

        var ex = Assert.Throws<LabFileRejectedException>(() => Parse(text));

        Assert.Contains(reason, ex.Problem.Reason, StringComparison.Ordinal);
        Assert.Equal(5, ex.Problem.Position.Line);
        Assert.Equal(segment, ex.Problem.Position.Segment);
        Assert.Equal("message[0].segment[4]", ex.Problem.Position.Path);
    }

    [Fact]
    public void Parse_SliceWithTwoHeaders_RejectedAsEnvelopeInsideMessage()
    {
        var content = Bytes(Oru("\r") + Header + "\r");

        var ex = Assert.Throws<LabFileRejectedException>(() => Hl7v2Parser.Parse(new Hl7v2MessageSlice(content, 0, 1, 0, 0)));

        Assert.Equal("MSH[2]", ex.Problem.Position.Segment);
        Assert.Equal(7, ex.Problem.Position.Line);
    }

    private static List<Hl7v2Segment> Segments(Hl7v2Message message)
    {
        var list = new List<Hl7v2Segment>();
        foreach (var segment in message.Segments()) list.Add(segment);
        return list;
    }
}
