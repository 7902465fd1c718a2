using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Functions.Tests.Hosting;
using PrecisionMed.Testing.Stack;
using PrecisionMed.Testing.Validation;

namespace PrecisionMed.Functions.Tests.EndToEnd;

/// <summary>VCF files (plain, BGZF, multi-sample) through the functions and the real emulators into Genomics IG FHIR.</summary>
public sealed class VcfEndToEndTests(LocalStackFixture stack)
{
    private const string LabId = "lab-vcf";

    public static TheoryData<string, int> Files() => new()
    {
        { "vcf/vcf2fhir/vcf_example4.vcf.gz", 12 },
        { "vcf/vcf2fhir/NB6TK328_filtered.vcf", 5 },
        { "vcf/pgx/pharmcat_Sample_1.preprocessed.vcf", 18 },
        { "vcf/edge/htslib_vcf44_1.vcf", 28 },
        { "vcf/annotated/qiagen_ingenuity_export.vcf", 78 },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public async Task VcfFile_ThroughThePipeline_WritesValidGenomicsIgResources(string relativePath, int records)
    {
        var content = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestData", relativePath), TestContext.Current.CancellationToken);
        var units = await IngestAsync("2026/" + Path.GetFileName(relativePath), content);

        foreach (var unit in units)
        {
            Assert.Equal(records, unit.RecordCounts.Values.Sum()); // every record accounted for, by outcome
        }
    }

    [Fact]
    public async Task LargeVcf_MoreThan500Resources_WrittenAsSeveralBundlesWithEveryResourceOnTheServer()
    {
        var vcf = new StringBuilder("##fileformat=VCFv4.2\n##reference=GRCh38\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n");
        for (var i = 1; i <= 700; i++) vcf.Append(CultureInfo.InvariantCulture, $"chr2\t{i * 100}\t.\tA\tG\t50\tPASS\tDP=30\tGT:AD:DP\t0/1:15,15:30\n");
        for (var i = 1; i <= 50; i++) vcf.Append(CultureInfo.InvariantCulture, $"chr2\t{100_000 + i}\t.\tA\tG\t50\tLowQual\t.\tGT\t0/1\n");
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(vcf.ToString()), TestContext.Current.CancellationToken);
        }

        var unit = Assert.Single(await IngestAsync("2026/large.vcf.gz", compressed.ToArray()));
        Assert.Equal(700, unit.RecordCounts[VcfRecordOutcome.Reported]);
        Assert.Equal(50, unit.RecordCounts[VcfRecordOutcome.FilterNotPass]);
        Assert.True(unit.ResourceReferences.Count > 700);
    }

    private async Task<IReadOnlyList<LedgerUnit>> IngestAsync(string name, byte[] content)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(stack.Stack);
        var fileId = LabFileIds.For(LabId, Convert.ToHexStringLower(SHA256.HashData(content)));

        await host.UploadAsync(LabId, name, content, ct);
        await host.ArriveAsync(LabId, name, ct);
        var processed = await host.DrainWorkQueueAsync(ct);

        var file = await host.Ledger.FindFileAsync(fileId, ct);
        Assert.Equal(FileState.Completed, file!.State);
        Assert.Equal(file.UnitCount, processed.Count);
        Assert.Equal(content, await host.ReadBlobAsync(LabFileAreas.Archive, $"{LabId}/{name}", ct));

        var units = await host.Ledger.ListUnitsAsync(fileId, ct);
        var errors = new List<string>();
        foreach (var unit in units)
        {
            Assert.Equal(UnitState.Completed, unit.State);
            Assert.NotNull(unit.ReportReference);
            foreach (var reference in unit.ResourceReferences)
            {
                using var response = await host.Fhir.GetAsync(reference, ct);
                Assert.True(response.IsSuccessStatusCode, $"GET {reference}: HTTP {(int)response.StatusCode}");
                var resource = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
                if (errors.Count < 20)
                    errors.AddRange(FhirProfileValidator.Shared.Validate(resource.ToJsonString()).Errors.Select(e => $"{reference}: {e}"));
            }
        }

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
        return units;
    }
}
