using PrecisionMed.Core.Formats.Hl7v2;
using PrecisionMed.Core.LabReports;
using static PrecisionMed.Core.Tests.Formats.Hl7v2.Hl7v2TestMessages;

namespace PrecisionMed.Core.Tests.Formats.Hl7v2;

/// <summary>Every ORU^R01 of the corpus (and every authored one) maps, and every OBX is mapped or skipped with a reason.</summary>
[Trait("Tier", "Fast")]
public sealed class Hl7v2ReportMapperCorpusTests
{
    private const string LabId = "lab-a";

    public static TheoryData<string> OruFiles => new(CorpusFiles()
        .Where(f => f.StartsWith("general-lab/", StringComparison.Ordinal) || f.Contains("_ORU_", StringComparison.Ordinal))
        .Concat(AuthoredFiles(".hl7")));

    /// <summary>The authored messages (CorpusFiles leaves them out), as paths relative to TestData/hl7v2.</summary>
    internal static IEnumerable<string> AuthoredFiles(string extension) =>
        Directory.EnumerateFiles(TestFiles.PathOf("hl7v2/authored"), "*" + extension)
            .Select(path => "authored/" + Path.GetFileName(path))
            .Order(StringComparer.Ordinal);

    [Fact]
    public void OruFiles_IncludeTheAuthoredMessages()
    {
        Assert.True(AuthoredFiles(".hl7").Count() >= 10);
    }

    [Theory]
    [MemberData(nameof(OruFiles))]
    public void Map_EveryMessage_AccountsForEveryObx(string file)
    {
        foreach (var (message, report, mapped) in MapAll(file))
        {
            var total = CountSegments(message, "OBX");
            var skipped = report.Skipped.Where(p => p.Position.Segment?.StartsWith("OBX[", StringComparison.Ordinal) == true)
                .Select(p => p.Position.Segment).Distinct().Count();
            Assert.Equal(total, mapped + skipped);
            Assert.DoesNotContain(report.Skipped, p => p.Reason.Contains("not mapped by any rule", StringComparison.Ordinal));
            Assert.NotEmpty(report.Accession);
            Assert.NotEmpty(report.Patient.Identifiers);
        }
    }

    [Fact]
    public void Map_NwgmsaPdfInCeRow_AttachesTheDecodablePdfMarkedIncomplete()
    {
        // The published NWGMSA sample cuts its PDF's base64 short (length not a multiple of 4): what
        // decodes is attached and marked incomplete, and the cut is accounted for at its position.
        var (_, report, _) = MapAll("genomic/nwgmsa_NWGMSA_ORU_R01_PDF.txt").Single();

        var document = Assert.Single(report.Documents);
        Assert.True(document.Incomplete);
        Assert.Equal("application/pdf", document.ContentType);
        Assert.Equal("%PDF-"u8.ToArray(), document.Data![..5]);
        Assert.Contains(report.Skipped, p => p.Position.Segment == "OBX[1]" && p.Reason.Contains("cut short", StringComparison.Ordinal));
        Assert.Single(report.Notes);
        Assert.Equal("urn:precisionmed:lab:lab-a:patient-id", report.Patient.Identifiers[0].System);
    }

    [Fact]
    public void Map_EdRowWithValidBase64Pdf_GivesAPdfDocument()
    {
        var pdf = "%PDF-1.4\n%%EOF\n"u8.ToArray();
        var text = string.Join('\r', Header, "PID|1||MRN-1^^^HOSP^MR", "OBR|1|PL-1|FL-1|81247-9^Genetic panel^LN",
            "OBX|1|CE|SANGER^Sanger^IGENE|PDF|^IGene^application/pdf^Base64^" + Convert.ToBase64String(pdf) + "||||||F",
            "OBX|2|ED|51969-4^Genetic analysis report^LN|1|MOL^IM^PDF^Base64^" + Convert.ToBase64String(pdf) + "||||||F");

        var report = Hl7v2ReportMapper.Map(Parse(text), LabId);

        Assert.Equal(2, report.Documents.Count);
        Assert.All(report.Documents, d => Assert.Equal("application/pdf", d.ContentType));
        Assert.All(report.Documents, d => Assert.Equal(pdf, d.Data));
        Assert.Empty(report.Skipped);
    }

    [Fact]
    public void Map_MftElidedBase64_AttachesWhatDecodesMarkedIncomplete()
    {
        // The MFT sample (CR-only separators) elides its PDF as "JVBERi0x...": the "%PDF-1" that
        // decodes is attached, marked incomplete, and the elision is recorded at OBX-5.5.
        var (_, report, _) = MapAll("genomic/nwgmsa_MFT_ORU_R01_PDF.txt").Single();

        var document = Assert.Single(report.Documents);
        Assert.True(document.Incomplete);
        Assert.Equal("%PDF-1"u8.ToArray(), document.Data);
        var problem = Assert.Single(report.Skipped, p => p.Position.Segment == "OBX[1]");
        Assert.Contains("cut short", problem.Reason, StringComparison.Ordinal);
        Assert.Equal("OBX-5.5", problem.Position.Field);
        Assert.Equal("1001166717", report.Accession);
        Assert.Equal("2019-05-14T10:20:00+02:00", report.Effective);
        Assert.Equal("female", report.Patient.Gender);
        Assert.Equal("2008-09-20", report.Patient.BirthDate);
    }

    [Theory]
    [InlineData("general-lab/msft_LRI_2.0-NG_CBC_Typ_Message.hl7")]
    [InlineData("general-lab/msft_LAB-ORU-1.hl7")]
    [InlineData("general-lab/msft_ORU-R01-RMGEAD.hl7")]
    [InlineData("general-lab/lfh_ORU-multiline-short-mixed.hl7")]
    [InlineData("general-lab/msft_ORU-R01-01.hl7")]
    public void Map_GeneralLab_GivesOneLabResultPerObxWithItsCodeValueAndUnit(string file)
    {
        foreach (var (message, report, _) in MapAll(file))
        {
            var rows = SegmentsOf(message, "OBX")
                .Where(o => !o.Field(3).Component(1).IsEmpty && o.Field(2).Value is not ("ED" or "RP"))
                .ToList();
            Assert.Equal(rows.Count, report.LabResults.Count);
            foreach (var (row, result) in rows.Zip(report.LabResults))
            {
                Assert.Equal(row.Field(3).Component(1).Value, result.Code.Codings[0].Code);
                if (row.Field(2).Value == "NM" && row.Field(5).RepetitionCount == 1 && !row.Field(5).IsEmpty)
                {
                    var quantity = Assert.IsType<QuantityValue>(result.Value);
                    Assert.Equal(decimal.Parse(row.Field(5).Value, System.Globalization.CultureInfo.InvariantCulture), quantity.Value);
                    Assert.Equal(NullIfEmpty(row.Field(6).Component(1).Value), quantity.UnitCode);
                }
            }
        }
    }

    [Fact]
    public void Map_LriCbc_KeepsRangeInterpretationAndEffective()
    {
        var (_, report, _) = MapAll("general-lab/msft_LRI_2.0-NG_CBC_Typ_Message.hl7").Single();

        Assert.Equal(28, report.LabResults.Count);
        var hemoglobin = report.LabResults[1];
        Assert.Equal("718-7", hemoglobin.Code.Codings[0].Code);
        Assert.Equal("http://loinc.org", hemoglobin.Code.Codings[0].System);
        Assert.Equal("13 to 18", hemoglobin.ReferenceRange);
        Assert.Equal("L", Assert.Single(hemoglobin.Interpretations!).Codings[0].Code);
        Assert.Equal("2011-01-03T14:34:28-08:00", hemoglobin.Effective);
        Assert.Equal(Coding.Ucum, Assert.IsType<QuantityValue>(hemoglobin.Value).UnitSystem);
        Assert.Equal("R-991133", report.Accession);
        Assert.Equal("PATID1234", report.Patient.Identifiers[0].Value);
        Assert.Equal("urn:precisionmed:lab:lab-a:assigner:NIST%20MPI", report.Patient.Identifiers[0].System);
    }

    [Fact]
    public void Map_StructuredNumeric_KeepsTheComparator()
    {
        var (_, report, _) = MapAll("general-lab/msft_ORU-R01-RMGEAD.hl7").Single();

        var glucose = Assert.Single(report.LabResults);
        var value = Assert.IsType<QuantityValue>(glucose.Value);
        Assert.Equal(182m, value.Value);
        Assert.Null(value.Comparator);
    }

    [Fact]
    public void Map_UnsupportedSegmentsAndEmptyObx3_AreSkippedWithoutValues()
    {
        var (_, report, _) = MapAll("general-lab/msft_ORU-R01-01.hl7").Single();

        Assert.Contains(report.Skipped, p => p.Position.Segment == "PRT[1]");
        Assert.Contains(report.Skipped, p => p.Position.Segment == "TXA[1]");
        Assert.Contains(report.Skipped, p => p.Position.Segment == "FT1[1]");
        Assert.Contains(report.Skipped, p => p.Reason.StartsWith("OBX-3 (observation identifier) is empty", StringComparison.Ordinal));
        Assert.Equal(2, report.Documents.Count(d => d.Url is not null));
        Assert.Equal("urn:oid:2.16.840.1.114222.4.3.3.5.1.2", report.Patient.Identifiers[0].System);
    }

    [Theory]
    [InlineData("genomic-obx-fragments/hl7v2GenomicsExtractor_snpEff.hl7v2.txt", 2)]
    [InlineData("genomic-obx-fragments/vcf2hl7v2_expected_NB6TK328.txt", 5)]
    [InlineData("genomic-obx-fragments/vcf2hl7v2_expected_example4.txt", 6)]
    [InlineData("genomic-obx-fragments/vcf2hl7v2_expected_example3.txt", 0)]
    [InlineData("genomic-obx-fragments/vcf2hl7v2_expected_example1_with_patient.txt", 0)]
    public void Map_WrappedObxFragment_GivesOneVariantPerGroup(string file, int expectedVariants)
    {
        var obx = System.Text.Encoding.UTF8.GetString(Corpus(file)).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n');
        var text = string.Join('\r', Header, "PID|1||MRN-1^^^HOSP^MR", "OBR|1|PL-1|FL-1|81247-9^Genetic panel^LN", obx.Replace('\n', '\r'));
        var message = Parse(text);

        var report = Hl7v2ReportMapper.Map(message, LabId, out var mapped);

        var variantGroups = SegmentsOf(message, "OBX").Select(o => o.Field(4).Value).Where(s => s.Length > 0 && s[0] != '1').Distinct().Count();
        Assert.Equal(variantGroups, report.Variants.Count);
        if (expectedVariants > 0) Assert.Equal(expectedVariants, report.Variants.Count);
        Assert.Equal(CountSegments(message, "OBX"), mapped + report.Skipped.Count(p => p.Position.Segment!.StartsWith("OBX", StringComparison.Ordinal)));
        Assert.Contains("LA6576-8", report.ConclusionCode!.Codings.Select(c => c.Code));
        Assert.All(report.Variants, v => Assert.Contains(v.Components, c => c.Code.Code == "81254-5" && c.Value is RangeValue));
        Assert.DoesNotContain(report.GenesStudied, g => g.Codings.Any(c => c.Code == "HGNC:0000"));
    }

    internal static IEnumerable<(Hl7v2Message Message, LabReport Report, int Mapped)> MapAll(string file)
    {
        var batch = Hl7v2MessageSplitter.Split(Corpus(file));
        foreach (var slice in batch.Messages)
        {
            var message = Hl7v2Parser.ParseOruR01(slice);
            var report = Hl7v2ReportMapper.Map(message, LabId, out var mapped);
            yield return (message, report, mapped);
        }
    }

    internal static List<Hl7v2Segment> SegmentsOf(Hl7v2Message message, string id)
    {
        var segments = new List<Hl7v2Segment>();
        foreach (var segment in message.Segments(id)) segments.Add(segment);
        return segments;
    }

    private static int CountSegments(Hl7v2Message message, string id) => SegmentsOf(message, id).Count;

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
