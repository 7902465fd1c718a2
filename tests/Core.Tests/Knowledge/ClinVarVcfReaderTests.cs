using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Import;

namespace PrecisionMed.Core.Tests.Knowledge;

/// <summary>ClinVar's VCF release through <c>pmed knowledge import clinvar</c>'s reader: real releases and NCBI's current-layout sample.</summary>
[Trait("Tier", "Fast")]
public sealed class ClinVarVcfReaderTests
{
    private static async Task<(InMemoryKnowledgeStore Store, ImportResult Result)> ImportAsync(string relativePath)
    {
        var store = new InMemoryKnowledgeStore();
        await using var file = File.OpenRead(TestFiles.PathOf("knowledge/clinvar/" + relativePath));
        var result = await new KnowledgeImporter(store, store).ImportAsync(
            KnowledgeSource.ClinVar, file, Path.GetFileName(relativePath), cancellationToken: TestContext.Current.CancellationToken);
        return (store, result);
    }

    private static async Task<VariantClassification?> ClassificationAtAsync(InMemoryKnowledgeStore store, string build, string chrom, long pos, string reference, string alt) =>
        ((VariantDocument?)await store.ReadAsync(KnowledgeIds.Variant(new VariantLocation(build, chrom, pos, reference, alt)), TestContext.Current.CancellationToken))?.Classification;

    [Fact]
    public async Task Import_RealGzipRelease_EveryRecordByPositionWithItsVariationId()
    {
        var (store, result) = await ImportAsync("releases/clinvar_source.vcf.gz");

        Assert.Equal(0, result.Diagnostics.Count);
        Assert.Equal(9, result.Documents); // 9 records, no CLNHGVS in 2019's files
        var isg15 = await ClassificationAtAsync(store, "GRCh37", "1", 949523, "C", "T");
        Assert.NotNull(isg15);
        Assert.Equal("183381", isg15.VariationId);
        Assert.Equal("Pathogenic", isg15.Significance);
        Assert.Equal("no assertion criteria provided", isg15.ReviewStatus);
        Assert.Equal(["ISG15"], isg15.Genes);
        Assert.Equal("rs786201005", isg15.RsId);
        Assert.Equal("2019-08-05", isg15.ReleaseDate);
        Assert.Null(isg15.LastEvaluated);

        var mutyh = await ClassificationAtAsync(store, "GRCh37", "1", 45797835, "T", "G");
        Assert.Equal("Conflicting interpretations of pathogenicity", mutyh?.Significance);
        Assert.Equal("criteria provided, multiple submitters, conflicting interpretations", mutyh?.ReviewStatus);
        Assert.Equal(["MUTYH", "HPDL"], mutyh?.Genes);

        // An insertion keeps its VCF anchor base, as variant_summary's PositionVCF does.
        Assert.Equal("90109", (await ClassificationAtAsync(store, "GRCh37", "3", 37092140, "G", "GT"))?.VariationId);
        Assert.Equal("92921", (await ClassificationAtAsync(store, "GRCh37", "X", 153138030, "C", "T"))?.VariationId);
    }

    [Fact]
    public async Task Import_NextRelease_ReclassificationsRead()
    {
        var (store, _) = await ImportAsync("releases/clinvar_target.vcf.gz");

        Assert.Equal("Benign", (await ClassificationAtAsync(store, "GRCh37", "1", 949523, "C", "T"))?.Significance);
        Assert.Equal("Pathogenic", (await ClassificationAtAsync(store, "GRCh37", "4", 84383745, "T", "TC"))?.Significance);
        Assert.Equal("2019-09-15", (await ClassificationAtAsync(store, "GRCh37", "X", 153136403, "A", "C"))?.ReleaseDate);
    }

    [Fact]
    public async Task Import_CurrentLayoutSample_HgvsConditionsOriginAndTheSomaticOnlyRecordListed()
    {
        var (store, result) = await ImportAsync("format-samples/clinvar.vcf");
        var ct = TestContext.Current.CancellationToken;

        var kras = await ClassificationAtAsync(store, "GRCh37", "12", 25398285, "C", "A");
        Assert.NotNull(kras);
        Assert.Equal("12578", kras.VariationId);
        Assert.Equal("Pathogenic", kras.Significance);
        Assert.Equal("criteria provided, single submitter", kras.ReviewStatus);
        Assert.Equal("2023-10-02", kras.ReleaseDate);
        Assert.Contains(kras.Conditions, c => c.Name == "Prostate cancer, hereditary, 1" && c.Ids.Contains("MONDO:MONDO:0011098"));
        Assert.Equal("germline/somatic", kras.Origin);
        var byHgvs = (VariantHgvsDocument?)await store.ReadAsync(KnowledgeIds.Hgvs("NC_000012.11:g.25398285C>A"), ct);
        Assert.Equal("12578", byHgvs?.Classification.VariationId);

        // EGFR 16613 has only a somatic clinical impact (SCI): no germline classification to import, and it says so.
        Assert.Null(await ClassificationAtAsync(store, "GRCh37", "7", 55249071, "C", "T"));
        Assert.Contains(result.Diagnostics.Listed, p => p.Position.Field == "CLNSIG" && p.Position.Line > 0);
    }

    [Fact]
    public async Task Import_VcfWithoutReference_ClearDiagnosticNoDocuments()
    {
        var store = new InMemoryKnowledgeStore();
        using var content = new MemoryStream("##fileformat=VCFv4.1\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n1\t1\t1\tA\tC\t.\t.\tCLNSIG=Benign\n"u8.ToArray());
        var refused = await Assert.ThrowsAsync<InvalidDataException>(
            () => new KnowledgeImporter(store, store).ImportAsync(KnowledgeSource.ClinVar, content, "x.vcf", cancellationToken: TestContext.Current.CancellationToken));

        Assert.StartsWith("x.vcf: no ClinVar classifications in it", refused.Message, StringComparison.Ordinal);
        Assert.Contains("##reference", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_AuthoredVariantSummaryPair_SameClassificationsAsTheVcfRelease()
    {
        foreach (var (vcf, summary) in new[] { ("releases/clinvar_source.vcf.gz", "authored/variant_summary_2019-08.txt"), ("releases/clinvar_target.vcf.gz", "authored/variant_summary_2019-09.txt") })
        {
            var (fromVcf, _) = await ImportAsync(vcf);
            var (fromSummary, result) = await ImportAsync(summary);
            Assert.Equal(0, result.Diagnostics.Count);
            foreach (var (chrom, pos, reference, alt) in new[] { ("1", 949523L, "C", "T"), ("1", 45797835L, "T", "G"), ("4", 84383745L, "T", "TC"), ("5", 37060961L, "CT", "C") })
            {
                var a = await ClassificationAtAsync(fromVcf, "GRCh37", chrom, pos, reference, alt);
                var b = await ClassificationAtAsync(fromSummary, "GRCh37", chrom, pos, reference, alt);
                Assert.Equal(a?.VariationId, b?.VariationId);
                Assert.Equal(a?.Significance, b?.Significance);
                Assert.Equal(a?.ReviewStatus, b?.ReviewStatus);
            }
        }
    }
}
