using System.Diagnostics;
using System.Text;
using PrecisionMed.Core.Formats;
using PrecisionMed.Core.Formats.Fhir;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Testing.HostileInput;

namespace PrecisionMed.Core.Tests.Pipeline;

/// <summary>
/// Limits and hostile input: each limit of <see cref="LimitsOptions"/> rejects the file to <c>rejected/</c>
/// with its error report and the original kept, the reason naming the limit, its value and the setting; the reading
/// stops at the limit.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class HostileInputLimitsTests
{
    private static readonly Lazy<byte[]> GzipBomb = new(GzipBombs.OneGibibyteOfZerosAfterAVcfHeader);

    [Fact]
    public async Task Arrival_GzipBombOfOneGibibyteOfZeros_RejectedForItsRatioAfterReadingLittle()
    {
        var bomb = GzipBomb.Value;
        using var harness = new PipelineHarness();
        var stopwatch = Stopwatch.StartNew();

        var outcome = await harness.DropAsync(bomb);

        Assert.InRange(bomb.Length, 100_000, 2_000_000);
        Assert.Equal(ArrivalOutcome.Rejected, outcome);
        var reason = AssertRejectedAndKept(harness, bomb);
        Assert.Contains("gzip bomb", reason, StringComparison.Ordinal);
        Assert.Contains("Limits:MaxDecompressionRatio", reason, StringComparison.Ordinal);
        Assert.Contains("Limits__MaxDecompressionRatio", reason, StringComparison.Ordinal);
        Assert.Contains("100 to 1", reason, StringComparison.Ordinal);

        // Inflating the whole gibibyte takes seconds; stopping at 16 MiB takes a fraction of that.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}: the bomb was inflated in full?");
    }

    [Fact]
    public async Task Arrival_GzipBombWithTheRatioLimitRaised_RejectedAtTheDecompressedSize()
    {
        var bomb = GzipBomb.Value;
        using var harness = new PipelineHarness(limits: l =>
        {
            l.MaxDecompressionRatio = 1_000_000;
            l.MaxDecompressedBytes = 32 * 1024 * 1024;
        });

        var outcome = await harness.DropAsync(bomb);

        Assert.Equal(ArrivalOutcome.Rejected, outcome);
        var reason = AssertRejectedAndKept(harness, bomb);
        Assert.Contains("Limits:MaxDecompressedBytes", reason, StringComparison.Ordinal);
        Assert.Contains("32 MiB (33554432 bytes)", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Arrival_CompressedCorpusVcf_IsNotABomb()
    {
        var vcf = TestFiles.Read("vcf/edge/vcfvalidator_passed_compressed_plain_gzip.vcf.gz");
        using var harness = new PipelineHarness(limits: l => l.MaxDecompressionRatio = 2);

        Assert.Equal(ArrivalOutcome.Queued, await harness.DropAsync(vcf));
    }

    [Fact]
    public async Task Arrival_FileLargerThanMaxFileBytes_RejectedNamingTheSetting()
    {
        var hl7 = TestFiles.Read("hl7v2/authored/germline_from_cgexample.hl7");
        using var harness = new PipelineHarness(limits: l => l.MaxFileBytes = 1000);

        var outcome = await harness.DropAsync(hl7);

        Assert.Equal(ArrivalOutcome.Rejected, outcome);
        var reason = AssertRejectedAndKept(harness, hl7);
        Assert.Equal(
            "the file is larger than a lab file may be: the limit is 1000 bytes (setting Limits:MaxFileBytes, environment variable Limits__MaxFileBytes)",
            reason);
    }

    [Fact]
    public async Task Arrival_DocumentLargerThanMaxDocumentBytes_Rejected()
    {
        var bundle = TestFiles.IgExample("Bundle-bundle-cgexample.json");
        using var harness = new PipelineHarness(limits: l => l.MaxDocumentBytes = 10_000);

        Assert.Equal(ArrivalOutcome.Rejected, await harness.DropAsync(bundle));

        var reason = AssertRejectedAndKept(harness, bundle);
        Assert.StartsWith("the FHIR JSON file is larger than the most read into memory in one piece", reason, StringComparison.Ordinal);
        Assert.Contains("Limits:MaxDocumentBytes", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Arrival_DeeplyNestedJson_RejectedWithTheDepthLimitAndWhereItWasPassed()
    {
        // A million open brackets: parsed into nodes, or walked recursively, this would exhaust memory or the stack.
        var prefix = """{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Observation","extension":""";
        var json = Encoding.UTF8.GetBytes(prefix + new string('[', 1_000_000) + new string(']', 1_000_000) + "}}]}");
        using var harness = new PipelineHarness();

        Assert.Equal(ArrivalOutcome.Rejected, await harness.DropAsync(json));

        var reason = AssertRejectedAndKept(harness, json);
        Assert.StartsWith("the JSON nests deeper than a FHIR bundle may", reason, StringComparison.Ordinal);
        Assert.Contains("64 levels (setting Limits:MaxJsonDepth", reason, StringComparison.Ordinal);
        var position = (await harness.FileAsync(json)).Problem!.Position;
        Assert.Equal(1, position.Line);

        // The root object, entry array, entry and resource are 4 levels: the 61st bracket opens level 65.
        Assert.Equal(prefix.Length + 60 + 1, position.Column);
    }

    [Theory]
    [InlineData(3, false)]
    [InlineData(4, true)]
    public void Read_NestingAtAndPastTheLimit_OnlyPastItIsADepthRejection(int extraLevels, bool tooDeep)
    {
        // Bundle (1), entry (2), entry object (3), resource (4), then arrays: 4 + extraLevels levels in all.
        var json = """{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Observation","x":"""
            + new string('[', extraLevels) + new string(']', extraLevels) + "}}]}";

        var ex = Record.Exception(() => FhirBundleReader.Read(Encoding.UTF8.GetBytes(json), maxDepth: 7));

        Assert.Equal(tooDeep, ex is LabFileRejectedException { Problem.Reason: var r } && r.Contains("MaxJsonDepth", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Arrival_OverLongSegment_RejectedWithItsLineAndSegment()
    {
        var hl7 = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(TestFiles.Read("hl7v2/authored/germline_from_cgexample.hl7"))
            .Replace("OBX|1|", "OBX|1|" + new string('A', 5000), StringComparison.Ordinal));
        using var harness = new PipelineHarness(limits: l => l.MaxLineBytes = 4096);

        Assert.Equal(ArrivalOutcome.Rejected, await harness.DropAsync(hl7));

        var reason = AssertRejectedAndKept(harness, hl7);
        Assert.Contains("longer than an HL7 v2 segment may be: the limit is 4096 bytes (setting Limits:MaxLineBytes", reason, StringComparison.Ordinal);
        var position = (await harness.FileAsync(hl7)).Problem!.Position;
        Assert.Equal("OBX", position.Segment);
        Assert.NotNull(position.Line);
    }

    [Fact]
    public async Task Arrival_OverLongVcfLine_RejectedWithItsLine()
    {
        var vcf = TestFiles.Read("vcf/vcf2fhir/vcf_example1.vcf");
        var padded = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(vcf).Replace("##fileformat=VCFv4.1", "##fileformat=VCFv4.1\n##x=" + new string('A', 300_000), StringComparison.Ordinal));
        Assert.NotEqual(vcf.Length, padded.Length);
        using var harness = new PipelineHarness(limits: l => l.MaxLineBytes = 256 * 1024);

        Assert.Equal(ArrivalOutcome.Rejected, await harness.DropAsync(padded));

        var reason = AssertRejectedAndKept(harness, padded);
        Assert.Contains("Limits:MaxLineBytes", reason, StringComparison.Ordinal);
        Assert.Equal(2, (await harness.FileAsync(padded)).Problem!.Position.Line);
    }

    [Fact]
    public async Task Arrival_BatchWithMoreMessagesThanAllowed_RejectedAtTheFirstMessageOver()
    {
        var batch = TestFiles.Read("hl7v2/authored/batch_three_messages.hl7");
        using var harness = new PipelineHarness(limits: l => l.MaxMessagesPerFile = 2);

        Assert.Equal(ArrivalOutcome.Rejected, await harness.DropAsync(batch));

        var reason = AssertRejectedAndKept(harness, batch);
        Assert.Equal(
            "the file holds 3 messages; this MSH starts message 3: the limit is 2 (setting Limits:MaxMessagesPerFile, environment variable Limits__MaxMessagesPerFile)",
            reason);
        var position = (await harness.FileAsync(batch)).Problem!.Position;
        Assert.Equal("MSH", position.Segment);
        Assert.True(position.Line > 1);
        Assert.Empty(harness.Queue.Items);
    }

    [Fact]
    public async Task Arrival_VcfWithMoreSamplesThanReportsAllowed_RejectedNothingQueued()
    {
        var vcf = Encoding.ASCII.GetBytes("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\tS3\n"
            + "chr1\t100\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\t0/0\t1/1\n");
        using var harness = new PipelineHarness(limits: l => l.MaxMessagesPerFile = 2);

        Assert.Equal(ArrivalOutcome.Rejected, await harness.DropAsync(vcf));

        var reason = AssertRejectedAndKept(harness, vcf);
        Assert.Equal(
            "the file holds 3 report units (one per sample column): the limit is 2 (setting Limits:MaxMessagesPerFile, environment variable Limits__MaxMessagesPerFile)",
            reason);
        Assert.Empty(harness.Queue.Items);
    }

    [Fact]
    public async Task Arrival_FhirBundleWithMoreReportsThanAllowed_Rejected()
    {
        var bundle = Encoding.UTF8.GetBytes(SyntheticBundles.TwoReportsSharingAPatient);
        using var harness = new PipelineHarness(limits: l => l.MaxMessagesPerFile = 1);

        Assert.Equal(ArrivalOutcome.Rejected, await harness.DropAsync(bundle));

        Assert.Contains("the file holds 2 report units (one per report)", AssertRejectedAndKept(harness, bundle), StringComparison.Ordinal);
        Assert.Empty(harness.Queue.Items);
    }

    [Fact]
    public async Task Arrival_BatchAtTheLimit_Queued()
    {
        var batch = TestFiles.Read("hl7v2/authored/batch_three_messages.hl7");
        using var harness = new PipelineHarness(limits: l => l.MaxMessagesPerFile = 3);

        Assert.Equal(ArrivalOutcome.Queued, await harness.DropAsync(batch));
        Assert.Equal(3, harness.Queue.Items.Count);
    }

    /// <summary>The original is in rejected/ byte for byte, gone from incoming/, with its error report; returns the reason.</summary>
    private static string AssertRejectedAndKept(PipelineHarness harness, byte[] original)
    {
        Assert.False(harness.Store.Exists(PipelineHarness.Incoming()));
        Assert.Equal(original, harness.Store.Get(PipelineHarness.Rejected(original)));
        var report = harness.ErrorReport(PipelineHarness.ErrorReportOf(original));
        var file = harness.Ledger.Files.Single();
        Assert.Equal(FileState.Rejected, file.State);
        Assert.Equal(report.Reason, file.Problem?.Reason);
        return report.Reason;
    }
}
