using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Functions.Tests.Hosting;
using PrecisionMed.Testing.Stack;
using PrecisionMed.Testing.Validation;
using PrecisionMed.Testing.Vcf;
using PrecisionMed.Validation;

namespace PrecisionMed.Functions.Tests.EndToEnd;

/// <summary>VCF files (plain, BGZF, multi-sample) through the functions and the real emulators into Genomics IG FHIR.</summary>
[Trait("Tier", "Stack")]
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

    /// <summary>
    /// The same VCF sent again after re-analysis for the same accession and patient (its manifest states both) with one
    /// variant no longer called: the report is amended in place and that variant, with what was derived from it, entered-in-error.
    /// </summary>
    [Fact]
    public async Task ResentVcf_SameAccessionOneVariantFewer_ReportAmendedAndTheVariantWithdrawn()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(stack.Stack);
        const string name = "resent/NB6TK328_filtered.vcf";
        var content = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "vcf/vcf2fhir/NB6TK328_filtered.vcf"), ct);
        var lines = Encoding.UTF8.GetString(content).Split('\n');
        var reanalysed = Encoding.UTF8.GetBytes(string.Join('\n', lines.Where(l => !l.StartsWith("chr19\t38499670\t", StringComparison.Ordinal))));

        var first = Assert.Single(await IngestAsync(host, name, content, accessionPrefix: "WES-"));
        var second = Assert.Single(await IngestAsync(host, name, reanalysed, accessionPrefix: "WES-"));

        Assert.Equal(first.ReportReference, second.ReportReference);
        Assert.Equal(first.ResourceReferences.Except(second.ResourceReferences).Order(), second.WithdrawnReferences.Order());
        Assert.Contains(second.WithdrawnReferences, r => r.StartsWith("Observation/", StringComparison.Ordinal));
        foreach (var reference in second.WithdrawnReferences)
        {
            var withdrawn = await GetAsync(host, reference);
            Assert.Equal("entered-in-error", withdrawn["status"]!.GetValue<string>());
            Assert.Empty(FhirProfileValidator.Shared.Validate(withdrawn.ToJsonString()).Errors);
        }

        var report = await GetAsync(host, second.ReportReference!);
        Assert.Equal("amended", report["status"]!.GetValue<string>());
        Assert.DoesNotContain(report["result"]!.AsArray(), r => second.WithdrawnReferences.Contains(r!["reference"]!.GetValue<string>()));
        Assert.Equal(first.RecordCounts[VcfRecordOutcome.Reported] - 1, second.RecordCounts[VcfRecordOutcome.Reported]);
    }

    private async Task<IReadOnlyList<LedgerUnit>> IngestAsync(string name, byte[] content)
    {
        await using var host = new PipelineHost(stack.Stack);
        return await IngestAsync(host, name, content);
    }

    private static async Task<JsonObject> GetAsync(PipelineHost host, string reference)
    {
        using var response = await host.Fhir.GetAsync(reference, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET {reference}: HTTP {(int)response.StatusCode}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.AsObject();
    }

    /// <summary>Drops the VCF with its manifest (a patient per column, and the accession when <paramref name="accessionPrefix"/> is given) and runs it through.</summary>
    private static async Task<IReadOnlyList<LedgerUnit>> IngestAsync(PipelineHost host, string name, byte[] content, string? accessionPrefix = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var fileId = LabFileIds.For(LabId, Convert.ToHexStringLower(SHA256.HashData(content)));

        await host.UploadAsync(LabId, VcfManifest.NameFor(name), TestVcfManifests.Json(name[(name.LastIndexOf('/') + 1)..], content, accessionPrefix: accessionPrefix), ct);
        await host.UploadAsync(LabId, name, content, ct);
        await host.ArriveAsync(LabId, name, ct);
        var processed = await host.DrainWorkQueueAsync(ct);

        var file = await host.Ledger.FindFileAsync(fileId, ct);
        Assert.Equal(FileState.Completed, file!.State);
        Assert.Equal(file.UnitCount, processed.Count);
        Assert.Equal(content, await host.ReadBlobAsync(LabFileAreas.Archive, Originals.Archived(LabId, content, name), ct));

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
