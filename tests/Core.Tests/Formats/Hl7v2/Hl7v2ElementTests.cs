using PrecisionMed.Core.Formats.Hl7v2;
using static PrecisionMed.Core.Tests.Formats.Hl7v2.Hl7v2TestMessages;

namespace PrecisionMed.Core.Tests.Formats.Hl7v2;

/// <summary>Reading values: repetitions, components, subcomponents, escape sequences, positions.</summary>
[Trait("Tier", "Fast")]
public sealed class Hl7v2ElementTests
{
    [Theory]
    [InlineData(@"a\F\b", "a|b")]
    [InlineData(@"a\S\b\T\c\R\d\E\e", @"a^b&c~d\e")]
    [InlineData(@"\X414243\", "ABC")]
    [InlineData(@"caf\XC3A9\", "café")]
    [InlineData(@"line 1\.br\line 2", "line 1\nline 2")]
    [InlineData(@"\H\bold\N\ text", "bold text")]
    [InlineData(@"\.sp\x\.in+4\y", "\nxy")]
    [InlineData(@"\Q\ kept", @"\Q\ kept")]
    [InlineData(@"\X4\ odd hex kept", @"\X4\ odd hex kept")]
    [InlineData(@"unterminated \F", @"unterminated \F")]
    [InlineData(@"no escapes", "no escapes")]
    public void Value_EscapeSequences_Decoded(string raw, string expected)
    {
        var message = Parse(Header + "\rOBX|1|ST|X^Y^L||" + raw + "||||||F\r");

        Assert.Equal(expected, message.Segment(1).Field(5).Value);
    }

    [Fact]
    public void Value_LongValueWithEscapes_Decoded()
    {
        var raw = string.Concat(Enumerable.Repeat(@"abc\T\def\.br\", 100));
        var message = Parse(Header + "\rNTE|1||" + raw + "\r");

        Assert.Equal(string.Concat(Enumerable.Repeat("abc&def\n", 100)), message.Segment(1).Field(3).Value);
    }

    [Fact]
    public void Field_RepetitionsComponentsSubcomponents_Addressed()
    {
        var message = Parse(Header + "\rPID|1||MRN-1^^^HOSP&1.2.3&ISO^MR~NHS-1^^^NHS^NH||\"\"|x\r");
        var pid3 = message.Segment(1).Field(3);

        Assert.Equal(2, pid3.RepetitionCount);
        Assert.Equal(5, pid3.ComponentCount);
        Assert.Equal("MRN-1", pid3.Component(1).Value);
        Assert.Equal("HOSP&1.2.3&ISO", pid3.Component(4).Value); // a component's subcomponents stay as sent
        Assert.Equal("HOSP", pid3.Component(4).Subcomponent(1).Value);
        Assert.Equal(3, pid3.Component(4).SubcomponentCount);
        Assert.Equal("1.2.3", pid3.Component(4).Subcomponent(2).Value);
        Assert.Equal("MRN-1", pid3.Subcomponent(1).Value);
        Assert.Equal("NH", pid3.Repetition(2).Component(5).Value);
        Assert.True(pid3.Repetition(3).IsEmpty);
        Assert.True(pid3.Component(9).IsEmpty);
        Assert.True(pid3.Component(4).Subcomponent(4).IsEmpty);
        Assert.Equal("MRN-1", pid3.Component(1).Component(1).Value); // a component is its own first component
        Assert.True(pid3.Component(1).Component(2).IsEmpty);
        Assert.True(message.Segment(1).Field(5).IsNull);
        Assert.False(message.Segment(1).Field(6).IsNull);
        Assert.Equal(0, message.Segment(1).Field(2).RepetitionCount);
    }

    [Fact]
    public void Segments_ById_EnumeratesInOrder()
    {
        var message = Parse(Oru());

        var obx = new List<string>();
        foreach (var segment in message.Segments("OBX")) obx.Add(segment.Field(1).Value + ":" + segment.Occurrence);

        Assert.Equal(["1:1", "2:2", "3:3"], obx);
        Assert.True(message.TryGetSegment("OBR", out var obr));
        Assert.Equal("FL-1", obr.Field(3).Value);
        Assert.False(message.TryGetSegment("SPM", out _));
        Assert.True(message.TryGetSegment("OBX", 3, out var third));
        Assert.Equal((5, "OBX[3]"), (third.Index, third.ToString()));
        Assert.False(message.TryGetSegment("OBX", 4, out _));
        Assert.True(obr.Is("OBR"));
    }

    [Fact]
    public void Position_ComponentOfThirdObx_NamesSegmentFieldLineAndIndex()
    {
        var message = Parse(Oru("\n"));
        var obx3 = message.Segment(5);

        var position = obx3.Field(5).Component(1).Position;

        Assert.Equal("OBX[3]", position.Segment);
        Assert.Equal("OBX-5.1", position.Field);
        Assert.Equal(6, position.Line);
        Assert.Equal("message[0].segment[5]", position.Path);
        Assert.Equal("PID-3(2).4.2", message.Segment(1).Field(3).Repetition(2).Component(4).Subcomponent(2).Position.Field);
        Assert.Equal("OBX[3]", obx3.ToString());
    }

    [Fact]
    public void Parse_Latin1CharacterSet_DecodesAsIso88591()
    {
        var text = Bytes(Header + "||||||8859/1\rNTE|1||caf");
        byte[] bytes = [.. text, 0xE9, (byte)'\r'];

        var message = Hl7v2Parser.Parse(bytes);

        Assert.Equal("café", message.Segment(1).Field(3).Value);
        Assert.Empty(message.Diagnostics);
    }

    [Fact]
    public void Value_InvalidUtf8_ReplacedNotThrown()
    {
        byte[] bytes = [.. Bytes(Header + "\rNTE|1||a"), 0xFF, 0xC3, (byte)'\r'];

        var message = Hl7v2Parser.Parse(bytes);

        Assert.Equal("a\uFFFD\uFFFD", message.Segment(1).Field(3).Value);
    }
}
