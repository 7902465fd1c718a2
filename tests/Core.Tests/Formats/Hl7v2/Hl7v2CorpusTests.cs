using PrecisionMed.Core.Formats.Hl7v2;
using PrecisionMed.Core.LabReports;
using static PrecisionMed.Core.Tests.Formats.Hl7v2.Hl7v2TestMessages;

namespace PrecisionMed.Core.Tests.Formats.Hl7v2;

/// <summary>Every file of the HL7 v2 corpus either parses as an ORU^R01 or is rejected for the reason it deserves.</summary>
[Trait("Tier", "Fast")]
public sealed class Hl7v2CorpusTests
{
    private const string NoMsh = "no MSH segment";

    /// <summary>What each corpus file must do: null when it parses, else the start of its rejection reason.</summary>
    private static readonly Dictionary<string, string?> Expected = new(StringComparer.Ordinal)
    {
        ["general-lab/lfh_ORU-multiline-short-mixed.hl7"] = null,
        ["general-lab/msft_LAB-ORU-1.hl7"] = null,
        ["general-lab/msft_LRI_2.0-NG_CBC_Typ_Message.hl7"] = null,
        ["general-lab/msft_ORU-R01-01.hl7"] = null,
        ["general-lab/msft_ORU-R01-RMGEAD.hl7"] = null,
        ["genomic/nwgmsa_MFT_ORU_R01_PDF.txt"] = null,
        ["genomic/nwgmsa_NWGMSA_ORU_R01_PDF.txt"] = null,
        ["genomic/nwgmsa_MFT_OML_O21_PDF.txt"] = "message type OML^O21 is not supported",
        ["genomic/pharmcat.example.order.hl7"] = "message type ORM^O01 is not supported",
        ["genomic-obx-fragments/hl7v2GenomicsExtractor_snpEff.hl7v2.txt"] = NoMsh,
        ["genomic-obx-fragments/vcf2hl7v2_expected_NB6TK328.txt"] = NoMsh,
        ["genomic-obx-fragments/vcf2hl7v2_expected_example1_with_patient.txt"] = NoMsh,
        ["genomic-obx-fragments/vcf2hl7v2_expected_example3.txt"] = NoMsh,
        ["genomic-obx-fragments/vcf2hl7v2_expected_example4.txt"] = NoMsh,
    };

    public static TheoryData<string> CorpusFiles => new(Hl7v2TestMessages.CorpusFiles());

    [Fact]
    public void Corpus_EveryFile_HasAnExpectedOutcome()
    {
        Assert.Equal(Expected.Keys.Order(StringComparer.Ordinal), Hl7v2TestMessages.CorpusFiles());
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void ParseOruR01_CorpusFile_ParsesOrRejectedForItsReason(string file)
    {
        var expected = Expected[file];

        LabFileProblem? problem = null;
        Hl7v2Message? message = null;
        try
        {
            var batch = Hl7v2MessageSplitter.Split(Corpus(file));
            message = Hl7v2Parser.ParseOruR01(Assert.Single(batch.Messages));
        }
        catch (LabFileRejectedException ex)
        {
            problem = ex.Problem;
        }

        if (expected is null)
        {
            Assert.Null(problem);
            Assert.Equal(("ORU", "R01"), (message!.MessageType, message.TriggerEvent));
            Assert.NotEmpty(message.ControlId);
            Assert.True(message.Segments("OBX").MoveNext());
        }
        else
        {
            Assert.NotNull(problem);
            Assert.StartsWith(expected, problem.Reason, StringComparison.Ordinal);
            Assert.Equal(1, problem.Position.Line);
            if (expected != NoMsh) Assert.Equal(("MSH[1]", "MSH-9"), (problem.Position.Segment, problem.Position.Field));
        }
    }

    [Theory]
    [InlineData("general-lab/lfh_ORU-multiline-short-mixed.hl7", 9, 4, "2.6")]
    [InlineData("general-lab/msft_LAB-ORU-1.hl7", 16, 10, "2.5")]
    [InlineData("general-lab/msft_LRI_2.0-NG_CBC_Typ_Message.hl7", 33, 28, "2.5.1")]
    [InlineData("general-lab/msft_ORU-R01-01.hl7", 29, 5, "2.5.1")]
    [InlineData("general-lab/msft_ORU-R01-RMGEAD.hl7", 4, 1, "2.4")]
    [InlineData("genomic/nwgmsa_MFT_ORU_R01_PDF.txt", 6, 1, "2.5.1")]
    [InlineData("genomic/nwgmsa_NWGMSA_ORU_R01_PDF.txt", 6, 1, "2.3")]
    public void Parse_CorpusOru_SegmentsAndVersion(string file, int segments, int observations, string version)
    {
        var message = Hl7v2Parser.Parse(Corpus(file));

        Assert.Equal(segments, message.SegmentCount);
        var count = 0;
        foreach (var _ in message.Segments("OBX")) count++;
        Assert.Equal(observations, count);
        Assert.Equal(version, message.Version);
        Assert.Empty(message.Diagnostics);
    }

    [Fact]
    public void Parse_CarriageReturnOnlyFile_ReadsEmbeddedPdfField()
    {
        var bytes = Corpus("genomic/nwgmsa_MFT_ORU_R01_PDF.txt");
        Assert.DoesNotContain((byte)'\n', bytes);

        var message = Hl7v2Parser.Parse(bytes);

        Assert.True(message.TryGetSegment("OBX", out var obx));
        Assert.Equal(6, obx.Line);
        Assert.Equal("ED", obx.Field(2).Value);
        Assert.Equal(("PDF", "Base64"), (obx.Field(5).Component(3).Value, obx.Field(5).Component(4).Value));
        Assert.Equal("9449305552", message.Segment(1).Field(3).Repetition(2).Component(1).Value);
    }

    [Fact]
    public void Parse_BomFiles_HeaderReadAfterTheBom()
    {
        foreach (var file in new[] { "general-lab/msft_LAB-ORU-1.hl7", "general-lab/msft_LRI_2.0-NG_CBC_Typ_Message.hl7" })
        {
            var bytes = Corpus(file);
            Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);

            var message = Hl7v2Parser.Parse(bytes);

            Assert.Equal("MSH", message.Header.Id);
            Assert.Equal(3, message.Slice.ByteOffset);
        }
    }

    [Fact]
    public void Parse_NoteWithEscapedAmpersand_Decoded()
    {
        var message = Hl7v2Parser.Parse(Corpus("general-lab/msft_ORU-R01-01.hl7"));

        Assert.True(message.TryGetSegment("NTE", out var nte));
        Assert.Contains("E.coli O157:H7 & other STECs", nte.Field(3).Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ObservationWithoutCode_EmptyObx3()
    {
        var message = Hl7v2Parser.Parse(Corpus("general-lab/lfh_ORU-multiline-short-mixed.hl7"));

        var codes = new List<bool>();
        foreach (var obx in message.Segments("OBX")) codes.Add(obx.Field(3).IsEmpty);

        Assert.Equal([false, true, true, true], codes);
    }

    [Fact]
    public void Parse_PharmCatOrderWithLfAndCrMixed_AllSegmentsOnTheirLines()
    {
        var message = Hl7v2Parser.Parse(Corpus("genomic/pharmcat.example.order.hl7"));

        Assert.Equal([1, 2, 3, 4], Enumerable.Range(0, message.SegmentCount).Select(i => message.Segment(i).Line));
        Assert.Equal("BLEZNUCJ", message.Header.Field(8).Value); // MSH-8 (security) carries a user id in this feed
        Assert.Equal(("ORM", "O01"), (message.MessageType, message.TriggerEvent));
    }
}
