using System.IO.Compression;
using System.Text;
using PrecisionMed.Core.Formats;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Tests.Formats;

[Trait("Tier", "Fast")]
public sealed class FormatDetectorTests
{
    [Theory]
    [MemberData(nameof(TestFiles.IgExamples), MemberType = typeof(TestFiles))]
    public void Detect_IgExampleBundle_FhirJson(string name)
    {
        var detected = FormatDetector.Detect(TestFiles.IgExample(name));

        Assert.Equal(new DetectedFormat(LabFileFormat.FhirJson, LabFileCompression.None), detected);
    }

    [Theory]
    [InlineData("""{"type":"collection","entry":[]}""")]
    [InlineData("""{"entry":[{"resource":{"resourceType":"Patient"}}]}""")]
    [InlineData("""{"resourceType":5}""")]
    [InlineData("""[{"resourceType":"Bundle"}]""")]
    [InlineData("""{"resourceType" "Bundle"}""")]
    public void Detect_JsonWithoutTopLevelResourceType_Unknown(string json)
    {
        var detected = FormatDetector.Detect(Encoding.UTF8.GetBytes(json));

        Assert.Equal(DetectedFormat.Unknown, detected);
    }

    [Fact]
    public void Detect_JsonWithResourceTypeAfterOtherProperties_FhirJson()
    {
        var json = """  {"meta":{"resourceType":"nope"},"id":"x","resourceType":"Bundle"}"""u8;

        Assert.Equal(LabFileFormat.FhirJson, FormatDetector.Detect(json).Format);
    }

    [Fact]
    public void Detect_Hl7WithUtf8Bom_Hl7v2()
    {
        var bytes = TestFiles.Read("hl7v2/general-lab/msft_LAB-ORU-1.hl7");
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]); // the corpus file really starts with a BOM

        Assert.Equal(new DetectedFormat(LabFileFormat.Hl7v2, LabFileCompression.None), FormatDetector.Detect(bytes));
    }

    [Theory]
    [InlineData(false, "UTF-16 (little-endian)")]
    [InlineData(true, "UTF-16 (big-endian)")]
    public void Detect_Utf16WithByteOrderMark_UnknownNamingTheEncoding(bool bigEndian, string encoding)
    {
        var utf16 = new UnicodeEncoding(bigEndian, byteOrderMark: true);
        byte[] bytes = [.. utf16.GetPreamble(), .. utf16.GetBytes(Encoding.UTF8.GetString(TestFiles.Read("hl7v2/general-lab/msft_ORU-R01-RMGEAD.hl7")))];

        var detected = FormatDetector.Detect(bytes);

        Assert.Equal(LabFileFormat.Unknown, detected.Format);
        Assert.Equal(encoding, detected.UnreadEncoding);
    }

    [Fact]
    public void Detect_Utf8_NoUnreadEncoding()
    {
        Assert.Null(FormatDetector.Detect(TestFiles.Read("hl7v2/general-lab/msft_LAB-ORU-1.hl7")).UnreadEncoding);
        Assert.Null(FormatDetector.Detect("hello"u8).UnreadEncoding);
    }

    [Fact]
    public void Detect_Hl7WithCarriageReturnSeparators_Hl7v2()
    {
        var bytes = TestFiles.Read("hl7v2/genomic/nwgmsa_MFT_ORU_R01_PDF.txt");
        Assert.DoesNotContain((byte)'\n', bytes);

        Assert.Equal(LabFileFormat.Hl7v2, FormatDetector.Detect(bytes).Format);
    }

    [Fact]
    public void Detect_Hl7WithMllpStartBlock_Hl7v2()
    {
        var message = TestFiles.Read("hl7v2/genomic/nwgmsa_MFT_ORU_R01_PDF.txt");
        byte[] framed = [0x0B, .. message, 0x1C, 0x0D];

        Assert.Equal(LabFileFormat.Hl7v2, FormatDetector.Detect(framed).Format);
    }

    [Theory]
    [InlineData("FHS|^~\\&|LIMS|LAB|EMR|HOSP|20260314092653\rBHS|^~\\&|LIMS|LAB\rMSH|^~\\&|LIMS|LAB|EMR|HOSP|20260314092653||ORU^R01|1|P|2.5.1\r")]
    [InlineData("BHS|^~\\&|LIMS|LAB|EMR|HOSP|20260314092653\rMSH|^~\\&|LIMS|LAB|EMR|HOSP|20260314092653||ORU^R01|1|P|2.5.1\rBTS|1\r")]
    [InlineData("\r\nMSH#^~\\&#LIMS#LAB\r")]
    public void Detect_Hl7BatchOrFileHeader_Hl7v2(string text)
    {
        Assert.Equal(LabFileFormat.Hl7v2, FormatDetector.Detect(Encoding.ASCII.GetBytes(text)).Format);
    }

    [Theory]
    [InlineData("MSHA^~\\&|LIMS|LAB\r")]
    [InlineData("MSH|^~\r")]
    [InlineData("MSX|^~\\&|LIMS|LAB\r")]
    public void Detect_NotQuiteAnHl7Header_Unknown(string text)
    {
        Assert.Equal(LabFileFormat.Unknown, FormatDetector.Detect(Encoding.ASCII.GetBytes(text)).Format);
    }

    [Fact]
    public void Detect_PlainVcf_Vcf()
    {
        var detected = FormatDetector.Detect(TestFiles.Read("vcf/vcf2fhir/vcf_example1.vcf"));

        Assert.Equal(new DetectedFormat(LabFileFormat.Vcf, LabFileCompression.None), detected);
    }

    [Fact]
    public void Detect_PlainGzipVcf_VcfGzip()
    {
        var detected = FormatDetector.Detect(TestFiles.Read("vcf/edge/vcfvalidator_passed_compressed_plain_gzip.vcf.gz"));

        Assert.Equal(new DetectedFormat(LabFileFormat.Vcf, LabFileCompression.Gzip), detected);
    }

    [Theory]
    [InlineData("vcf/edge/htslib_modhdr.vcf.gz")]
    [InlineData("vcf/edge/vcfvalidator_multiblock_bgzf.vcf.gz")]
    public void Detect_BgzfVcf_VcfBgzf(string path)
    {
        var detected = FormatDetector.Detect(TestFiles.Read(path));

        Assert.Equal(new DetectedFormat(LabFileFormat.Vcf, LabFileCompression.Bgzf), detected);
    }

    [Fact]
    public void Detect_GzipFhirBundle_FhirJsonGzip()
    {
        var detected = FormatDetector.Detect(Gzip(TestFiles.IgExample("Bundle-bundle-pgxexample.json")));

        Assert.Equal(new DetectedFormat(LabFileFormat.FhirJson, LabFileCompression.Gzip), detected);
    }

    [Fact]
    public void Detect_TruncatedGzipHead_DetectsFromWhatInflated()
    {
        var compressed = Gzip(TestFiles.IgExample("Bundle-bundle-CYP2C19.json"));

        var detected = FormatDetector.Detect(compressed.AsSpan(0, 200));

        Assert.Equal(new DetectedFormat(LabFileFormat.FhirJson, LabFileCompression.Gzip), detected);
    }

    [Fact]
    public void Detect_GzipMagicFollowedByGarbage_UnknownFormat()
    {
        byte[] bytes = [0x1F, 0x8B, 0x08, 0x00, .. Enumerable.Repeat((byte)0xFF, 40)];

        Assert.Equal(LabFileFormat.Unknown, FormatDetector.Detect(bytes).Format);
    }

    [Fact]
    public void Detect_Empty_Unknown()
    {
        Assert.Equal(DetectedFormat.Unknown, FormatDetector.Detect([]));
    }

    [Theory]
    [InlineData("not a lab file")]
    [InlineData("   \r\n\t ")]
    [InlineData("\uFEFF")]
    [InlineData("<?xml version=\"1.0\"?><Bundle xmlns=\"http://hl7.org/fhir\"/>")]
    [InlineData("#CHROM\tPOS\tID\tREF\tALT\n")]
    public void Detect_TextThatIsNoLabFormat_Unknown(string text)
    {
        Assert.Equal(DetectedFormat.Unknown, FormatDetector.Detect(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void Detect_RandomBytes_Unknown()
    {
        var bytes = new byte[4096];
        new Random(42).NextBytes(bytes);
        bytes[0] = 0x00; // keep clear of the gzip magic and of '{'

        Assert.Equal(LabFileFormat.Unknown, FormatDetector.Detect(bytes).Format);
    }

    [Fact]
    public async Task DetectAsync_LargeFile_ReadsOnlyTheHead()
    {
        var bytes = TestFiles.IgExample("Bundle-bundle-CYP2C19.json");
        Assert.True(bytes.Length > FormatDetector.HeadLength);
        using var stream = new MemoryStream(bytes, writable: false);

        var detected = await FormatDetector.DetectAsync(stream, TestContext.Current.CancellationToken);

        Assert.Equal(LabFileFormat.FhirJson, detected.Format);
        Assert.Equal(FormatDetector.HeadLength, stream.Position);
    }

    [Fact]
    public async Task DetectAsync_MultiblockBgzfStream_VcfBgzf()
    {
        await using var stream = File.OpenRead(TestFiles.PathOf("vcf/edge/vcfvalidator_multiblock_bgzf.vcf.gz"));

        var detected = await FormatDetector.DetectAsync(stream, TestContext.Current.CancellationToken);

        Assert.Equal(new DetectedFormat(LabFileFormat.Vcf, LabFileCompression.Bgzf), detected);
    }

    internal static byte[] Gzip(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(content);
        return output.ToArray();
    }
}
