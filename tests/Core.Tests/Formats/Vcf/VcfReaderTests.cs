using System.IO.Compression;
using System.Text;
using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Tests.Formats.Vcf;

[Trait("Tier", "Fast")]
public sealed class VcfReaderTests
{
    private const string Header = "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=248956422,assembly=GRCh38>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n";

    /// <summary>How many records each corpus file holds, and how many of its data lines are malformed.</summary>
    private static readonly Dictionary<string, (int Records, int Malformed, int Samples)> Expected = new(StringComparer.Ordinal)
    {
        ["annotated/qiagen_ingenuity_export.vcf"] = (78, 0, 1),
        ["annotated/snpEff_clinvar_crlf.vcf"] = (2, 0, 1),
        ["edge/bcftools_convert.gvcf.vcf"] = (31, 0, 1),
        ["edge/bcftools_haploid-diploid.vcf"] = (4, 0, 2),
        ["edge/bcftools_norm.breakend.1.vcf"] = (2, 0, 0),
        ["edge/bcftools_norm.symbolic.vcf"] = (4, 0, 0),
        ["edge/bcftools_split-vep.select-tr-expr.vcf"] = (4, 0, 0),
        ["edge/htslib_formatcols.vcf"] = (1, 0, 3),
        ["edge/htslib_longrefs_index.vcf"] = (192, 0, 1),
        ["edge/htslib_modhdr.vcf.gz"] = (0, 0, 0),
        ["edge/htslib_vcf44_1.vcf"] = (28, 0, 2),
        ["edge/pysam_24_crlf_spaces_header.vcf"] = (717, 0, 0),
        ["edge/pysam_example_vcf42_only_header.vcf"] = (0, 0, 3),
        ["edge/pysam_example_vcf43_with_utf8.vcf"] = (6, 0, 3),
        ["edge/pyvcf_example-4.1-bnd.vcf"] = (10, 0, 2),
        ["edge/pyvcf_strelka.vcf"] = (3, 0, 4),
        ["edge/vcfvalidator_failed_no_final_newline.vcf.gz"] = (1, 0, 0),
        ["edge/vcfvalidator_multiblock_bgzf.vcf.gz"] = (1094, 0, 0),
        ["edge/vcfvalidator_passed_compressed_plain_gzip.vcf.gz"] = (24, 0, 2),
        ["edge/vcfvalidator_v4.3_passed_body_alt.vcf"] = (26, 0, 2),
        ["pgx/pharmcat_PipelineTest-phaseSet.vcf"] = (2, 0, 1),
        ["pgx/pharmcat_Sample_1.preprocessed.vcf"] = (18, 0, 1),
        ["vcf2fhir/NB6TK328_filtered.vcf"] = (5, 0, 1),
        ["vcf2fhir/vcf_example1.vcf"] = (14, 0, 1),
        ["vcf2fhir/vcf_example2.vcf"] = (421, 0, 1),
        ["vcf2fhir/vcf_example3.vcf"] = (13, 0, 1),
        ["vcf2fhir/vcf_example4.vcf"] = (12, 0, 1),
        ["vcf2fhir/vcf_example4.vcf.gz"] = (12, 0, 1),
        ["vcf2fhir/vcf_structural_variants.vcf"] = (26, 0, 1),
        ["vcf2fhir/vcftests.vcf"] = (12, 0, 1),
    };

    public static TheoryData<string> CorpusFiles => new(VcfTestFiles.CorpusFiles());

    [Fact]
    public void Corpus_EveryFile_HasAnExpectedOutcome()
    {
        Assert.Equal(Expected.Keys.Order(StringComparer.Ordinal), VcfTestFiles.CorpusFiles());
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public async Task ReadAsync_CorpusFile_ReadsEveryRecord(string file)
    {
        await using var stream = VcfTestFiles.Open(VcfTestFiles.PathOf(file));
        var reader = await VcfReader.OpenAsync(stream, TestContext.Current.CancellationToken);
        var records = 0;
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            var record = reader.Current;
            Assert.False(record.Chrom.IsEmpty);
            records++;
        }

        var (expectedRecords, malformed, samples) = Expected[file];
        Assert.Equal(expectedRecords, records);
        Assert.Equal(malformed, reader.MalformedCount);
        Assert.Equal(samples, reader.Header.Samples.Count);
    }

    [Fact]
    public void Read_SpaceSeparatedChromLine_FindsSamples()
    {
        using var stream = File.OpenRead(VcfTestFiles.PathOf("edge/pyvcf_example-4.1-bnd.vcf"));
        var reader = VcfReader.Open(stream);
        Assert.Equal(["Germline", "Tumor"], reader.Header.Samples);
    }

    [Fact]
    public void Read_Utf8SampleName_Decoded()
    {
        using var stream = File.OpenRead(VcfTestFiles.PathOf("edge/htslib_formatcols.vcf"));
        Assert.Contains("S²", VcfReader.Open(stream).Header.Samples);
    }

    [Fact]
    public void Read_CrlfAndNoFinalNewline_LastRecordComplete()
    {
        using var stream = File.OpenRead(VcfTestFiles.PathOf("vcf2fhir/vcf_example1.vcf"));
        var reader = VcfReader.Open(stream);
        string? lastSample = null;
        while (reader.Read()) lastSample = Encoding.UTF8.GetString(reader.Current.Sample(0));
        Assert.Equal("0|1:700", lastSample);
    }

    [Fact]
    public void Read_MalformedLines_SkippedWithLineAndColumn()
    {
        var vcf = Header
            + "chr1\t100\t.\tA\tG\t.\tPASS\t.\tGT\t0/1\n"
            + "chr1\tabc\t.\tA\tG\t.\tPASS\t.\tGT\t0/1\n"
            + "chr1\t200\t.\tA\n"
            + "\tchr1\t300\t.\tA\tG\t.\tPASS\t.\tGT\t0/1\n"
            + "chr1\t400\t.\tA\tG\t.\tPASS\t.\tGT\t0/1\t0/1\n"
            + "\n"
            + "chr1\t500\t.\tA\tG\t.\tPASS\t.\tGT\t1/1\n";
        var reader = VcfReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(vcf)));
        var positions = new List<long>();
        while (reader.Read()) positions.Add(reader.Current.Position);

        Assert.Equal([100L, 500L], positions);
        Assert.Equal(4, reader.MalformedCount);
        Assert.Collection(
            reader.Diagnostics,
            d => Assert.Equal((5L, 6L, "POS is not a whole number"), (d.Position.Line!.Value, d.Position.Column!.Value, d.Reason)),
            d => Assert.Equal((6L, 13L), (d.Position.Line!.Value, d.Position.Column!.Value)),
            d => Assert.Equal((7L, 1L, "CHROM is empty"), (d.Position.Line!.Value, d.Position.Column!.Value, d.Reason)),
            d => Assert.Equal((8L, 32L), (d.Position.Line!.Value, d.Position.Column!.Value)));
    }

    [Theory]
    [InlineData("", "the file is empty")]
    [InlineData("##fileformat=VCFv4.2\n##INFO=<ID=DP>\n", "no #CHROM line")]
    [InlineData("##fileformat=VCFv3.3\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n", "only VCF versions 4.0 to 4.5")]
    [InlineData("##fileformat=VCFv4.2\n#CHROM\tPOS\tREF\tALT\tQUAL\tFILTER\tINFO\n", "column 3 is another name")]
    [InlineData("##fileformat=VCFv4.2\nchr1\t1\t.\tA\tG\t.\t.\t.\n", "a data line comes before the #CHROM header line")]
    [InlineData("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tS1\n", "must be FORMAT")]
    public void Open_UnusableHeader_RejectedWithReason(string vcf, string reason)
    {
        var ex = Assert.Throws<LabFileRejectedException>(() => VcfReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(vcf))));
        Assert.Contains("unusable VCF header", ex.Problem.Reason, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Problem.Reason, StringComparison.Ordinal);
        Assert.NotNull(ex.Problem.Position.Line);
    }

    [Fact]
    public void Open_MalformedContigLine_KeptAsProblemAndIgnored()
    {
        var vcf = "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=12[\n##contig=<ID=chr2,length=5>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\t\n";
        var reader = VcfReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(vcf)));
        Assert.Equal(2, Assert.Single(reader.Header.Problems).Position.Line);
        Assert.Equal(5, reader.Header.Contigs["chr2"].Length);
        Assert.Empty(reader.Header.Samples); // the trailing tab after INFO (htslib #1452) is not a sample
    }

    [Fact]
    public void Read_LineLongerThanBuffer_Grows()
    {
        var info = "CSQ=" + new string('A', 600_000);
        var vcf = Header + $"chr1\t100\t.\tA\tG\t.\tPASS\t{info};DP=7\tGT\t0/1\n";
        var reader = VcfReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(vcf)));
        Assert.True(reader.Read());
        Assert.Equal(7, reader.Current.InfoInteger("DP"u8));
        Assert.True(reader.Current.TryGetInfo("CSQ"u8, out var csq));
        Assert.Equal(600_000, csq.Length);
    }

    [Fact]
    public void Read_LineLongerThanLimit_Rejected()
    {
        var vcf = Header + $"chr1\t100\t.\tA\tG\t.\tPASS\t{new string('A', 2_000_000)}\tGT\t0/1\n";
        var reader = VcfReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(vcf)), maxLineBytes: 1024 * 1024);
        var ex = Assert.Throws<LabFileRejectedException>(() => reader.Read());
        Assert.Equal(4, ex.Problem.Position.Line);
    }

    [Fact]
    public void SampleValue_DroppedTrailingFields_Missing()
    {
        var reader = VcfReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(Header + "chr1\t100\trs1;rs2\tA\tG,<DEL>,*\t.\tPASS\tEND=200;FLAG\tGT:AD:DP\t0/1\n")));
        Assert.True(reader.Read());
        var record = reader.Current;
        Assert.Equal("0/1"u8, record.SampleValue(0, record.FormatIndex("GT"u8)));
        Assert.True(record.SampleValue(0, record.FormatIndex("DP"u8)).IsEmpty);
        Assert.Equal(-1, record.FormatIndex("PS"u8));
        Assert.Equal(3, record.AltCount);
        Assert.Equal("<DEL>"u8, record.AltAllele(1));
        Assert.Equal("*"u8, record.AltAllele(2));
        Assert.Equal(200, record.InfoInteger("END"u8));
        Assert.True(record.TryGetInfo("FLAG"u8, out var flag) && flag.IsEmpty);
        Assert.False(record.TryGetInfo("EN"u8, out _));
    }

    [Theory]
    [InlineData("0/1", new[] { 0, 1 }, new[] { false, false })]
    [InlineData("1|0", new[] { 1, 0 }, new[] { true, true })]
    [InlineData("1", new[] { 1 }, new[] { true })]
    [InlineData("./.", new[] { -1, -1 }, new[] { false, false })]
    [InlineData(".", new[] { -1 }, new[] { true })]
    [InlineData("0|1|1", new[] { 0, 1, 1 }, new[] { true, true, true })]
    [InlineData("/0|1", new[] { 0, 1 }, new[] { false, true })]
    [InlineData("|0", new[] { 0 }, new[] { true })]
    [InlineData("12/3", new[] { 12, 3 }, new[] { false, false })]
    public void Genotype_Parse_AllelesAndPhasing(string gt, int[] alleles, bool[] phased)
    {
        Span<int> a = stackalloc int[VcfGenotype.MaxPloidy];
        Span<bool> p = stackalloc bool[VcfGenotype.MaxPloidy];
        var ploidy = VcfGenotype.Parse(Encoding.ASCII.GetBytes(gt), a, p);
        Assert.Equal(alleles, a[..ploidy].ToArray());
        Assert.Equal(phased, p[..ploidy].ToArray());
    }

    [Theory]
    [InlineData("0/")]
    [InlineData("a/1")]
    [InlineData("0//1")]
    [InlineData("-1/0")]
    public void Genotype_Parse_NotAGenotype(string gt)
    {
        Span<int> a = stackalloc int[VcfGenotype.MaxPloidy];
        Span<bool> p = stackalloc bool[VcfGenotype.MaxPloidy];
        Assert.Equal(-1, VcfGenotype.Parse(Encoding.ASCII.GetBytes(gt), a, p));
    }

    [Fact]
    public void Read_BgzfMultiMember_ReadsToTheLastLine()
    {
        using var stream = new GZipStream(File.OpenRead(VcfTestFiles.PathOf("edge/vcfvalidator_multiblock_bgzf.vcf.gz")), CompressionMode.Decompress);
        var reader = VcfReader.Open(stream);
        long last = 0;
        while (reader.Read()) last = reader.Current.LineNumber;
        Assert.Equal(1107, last); // every line of every member (the file's last line, by zcat | wc -l)
    }
}
