using System.IO.Compression;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Import;

namespace PrecisionMed.Core.Tests.Knowledge;

/// <summary>The importers over the seed's real-format slices, into the in-process store.</summary>
[Trait("Tier", "Fast")]
public sealed class KnowledgeImporterTests
{
    private static async Task<ImportResult> ImportAsync(InMemoryKnowledgeStore store, KnowledgeSource source, string file, Stream? content = null)
    {
        await using var stream = content ?? EmbeddedKnowledgeSeed.Open(file);
        return await new KnowledgeImporter(store, store).ImportAsync(source, stream, file, cancellationToken: TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Import_EverySeedFileTwice_SecondWritesNothingAndKeepsTheVersion()
    {
        var store = new InMemoryKnowledgeStore();
        var importer = new KnowledgeImporter(store, store);
        var ct = TestContext.Current.CancellationToken;
        var first = new List<ImportResult>();
        foreach (var (source, file) in EmbeddedKnowledgeSeed.Files) first.Add(await EmbeddedKnowledgeSeed.ImportAsync(importer, source, file, cancellationToken: ct));
        var count = store.Count;
        var second = new List<ImportResult>();
        foreach (var (source, file) in EmbeddedKnowledgeSeed.Files) second.Add(await EmbeddedKnowledgeSeed.ImportAsync(importer, source, file, cancellationToken: ct));

        Assert.All(first, r => Assert.True(r.Written > 0 && r.Diagnostics.Count == 0, $"{r.File}: {r.Written} written, {r.Diagnostics.Count} diagnostics"));
        Assert.All(second, r => Assert.Equal(0, r.Written));
        Assert.All(second, r => Assert.False(r.VersionWritten));
        Assert.Equal(first[^1].Version, second[^1].Version);
        Assert.Equal(count, store.Count);
    }

    [Fact]
    public async Task Import_ClinVar_LookupsReturnWhatTheFileSaid()
    {
        var store = new InMemoryKnowledgeStore();
        var result = await ImportAsync(store, KnowledgeSource.ClinVar, "clinvar_variant_summary.slice.txt");
        var ct = TestContext.Current.CancellationToken;

        // A verbatim row of the real file: FOXRED1 c.694C>T, GRCh38 11:126275389 C>T.
        var foxred1 = (VariantDocument?)await store.ReadAsync(KnowledgeIds.Variant(new VariantLocation("GRCh38", "11", 126275389, "C", "T")), ct);
        Assert.NotNull(foxred1);
        Assert.Equal("Pathogenic", foxred1.Classification.Significance);
        Assert.Equal("criteria provided, multiple submitters, no conflicts", foxred1.Classification.ReviewStatus);
        Assert.Equal("5", foxred1.Classification.VariationId); // AlleleID 15044, VariationID 5 in the real file
        Assert.Equal(["FOXRED1"], foxred1.Classification.Genes);
        Assert.Contains(foxred1.Classification.Conditions, c => c.Name == "Leigh syndrome" && c.Ids.Contains("MONDO:MONDO:0009723"));
        Assert.DoesNotContain(foxred1.Classification.Conditions, c => c.Name == "not provided");

        // Both builds, and the c. and g. HGVS.
        Assert.NotNull(await store.ReadAsync(KnowledgeIds.Variant(new VariantLocation("GRCh37", "3", 128625063, "C", "T")), ct));
        var byHgvs = (VariantHgvsDocument?)await store.ReadAsync(KnowledgeIds.Hgvs("NM_014049.4:c.1249C>T"), ct);
        Assert.Equal("30880", byHgvs?.Classification.VariationId);
        Assert.NotNull(await store.ReadAsync(KnowledgeIds.Hgvs("NC_000003.11:g.128625063C>T"), ct));

        // A row with no VCF position (-1) is found by HGVS only.
        Assert.NotNull(await store.ReadAsync(KnowledgeIds.Hgvs("NM_007294.3:c.5266dupC"), ct));
        Assert.Equal(0, result.Diagnostics.Count);
    }

    [Fact]
    public async Task Import_GzipClinVar_ReadsLikeThePlainFile()
    {
        using var compressed = new MemoryStream();
        await using (var plain = EmbeddedKnowledgeSeed.Open("clinvar_variant_summary.slice.txt"))
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await plain.CopyToAsync(gzip, TestContext.Current.CancellationToken);
        }

        compressed.Position = 0;
        var gz = await ImportAsync(new InMemoryKnowledgeStore(), KnowledgeSource.ClinVar, "variant_summary.txt.gz", compressed);
        var txt = await ImportAsync(new InMemoryKnowledgeStore(), KnowledgeSource.ClinVar, "clinvar_variant_summary.slice.txt");
        Assert.Equal(txt.Documents, gz.Documents);
    }

    [Fact]
    public async Task Import_Hgnc_AliasesAndPreviousSymbolsNameTheApprovedGene()
    {
        var store = new InMemoryKnowledgeStore();
        await ImportAsync(store, KnowledgeSource.Hgnc, "hgnc_complete_set.slice.txt");
        var ct = TestContext.Current.CancellationToken;

        var alias = (GeneSymbolDocument?)await store.ReadAsync(KnowledgeIds.Symbol("rnf53"), ct);
        Assert.Equal(new GeneSymbolTarget("HGNC:1100", "BRCA1", GeneSymbolTarget.Alias), alias?.Resolve());
        var previous = (GeneSymbolDocument?)await store.ReadAsync(KnowledgeIds.Symbol("MLL2"), ct);
        Assert.Equal("KMT2D", previous?.Resolve()?.ApprovedSymbol);
        var gene = (GeneDocument?)await store.ReadAsync(KnowledgeIds.Gene("2621"), ct);
        Assert.Equal("CYP2C19", gene?.Symbol);
        Assert.Equal("10q23.33", gene?.Location);
    }

    [Fact]
    public async Task Import_MultiGeneRow_KeepsEveryGene()
    {
        var header = EmbeddedKnowledgeSeedHeader();
        var row = "-1\tcopy number loss\tGRCh38/hg38 17q21.31(chr17:43044295-43125483)x1\t-1\tBRCA1;NBR2\tHGNC:1100;HGNC:20691\tPathogenic\t1\t-\t-1\t-\t-\t-\t"
            + "Hereditary breast ovarian cancer syndrome\tgermline\tgermline\tGRCh38\tNC_000017.11\t17\t43044295\t43125483\tna\tna\t17q21.31\t-\t1\t-\tN\t-\t1\t99999999\t-1\tna\tna\t-\t-\t-\t-\t-\t-\t-\t-\t-";
        var store = new InMemoryKnowledgeStore();
        var refused = await Assert.ThrowsAsync<InvalidDataException>(
            () => ImportAsync(store, KnowledgeSource.ClinVar, "multi.txt", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(header + "\n" + row + "\n"))));

        // No VCF position and no c. HGVS in its name: nothing to look it up by, and nothing is invented (nor a file of nothing stored).
        Assert.Equal("multi.txt: no ClinVar classifications in it (empty, a header alone, or not a clinvar source); nothing imported", refused.Message);
        row = row.Replace("GRCh38/hg38 17q21.31(chr17:43044295-43125483)x1", "NM_007294.4(BRCA1):c.1A>G (p.Met1Val)", StringComparison.Ordinal);
        await ImportAsync(store, KnowledgeSource.ClinVar, "multi2.txt", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(header + "\n" + row + "\n")));
        var document = (VariantHgvsDocument?)await store.ReadAsync(KnowledgeIds.Hgvs("NM_007294.4:c.1A>G"), TestContext.Current.CancellationToken);
        Assert.Equal(["BRCA1", "NBR2"], document!.Classification.Genes);
        Assert.Equal(["HGNC:1100", "HGNC:20691"], document.Classification.HgncIds);
    }

    [Theory]
    [InlineData(KnowledgeSource.ClinVar, "")]
    [InlineData(KnowledgeSource.ClinVar, "#AlleleID\tType\tName\n")]
    [InlineData(KnowledgeSource.Hgnc, "")]
    [InlineData(KnowledgeSource.CpicDrugs, "drugid\tname\tpharmgkbid\trxnormid\n")]
    public async Task Import_NoRecordsOfTheSource_RefusedWithNothingStored(KnowledgeSource source, string text)
    {
        var store = new InMemoryKnowledgeStore();
        await ImportAsync(store, KnowledgeSource.ClinVar, "clinvar_variant_summary.slice.txt");
        var before = await store.ReadAsync(KnowledgeIds.Version, TestContext.Current.CancellationToken);

        var refused = await Assert.ThrowsAsync<InvalidDataException>(
            () => ImportAsync(store, source, "release.txt", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text))));

        Assert.StartsWith("release.txt: no ", refused.Message, StringComparison.Ordinal);
        Assert.Same(before, await store.ReadAsync(KnowledgeIds.Version, TestContext.Current.CancellationToken));
    }

    private static string EmbeddedKnowledgeSeedHeader()
    {
        using var reader = new StreamReader(EmbeddedKnowledgeSeed.Open("clinvar_variant_summary.slice.txt"));
        return reader.ReadLine()!;
    }

    [Fact]
    public async Task Import_MalformedRows_BecomePositionedDiagnostics()
    {
        var text = "#AlleleID\tName\tGeneSymbol\tClinicalSignificance\tVariationID\tAssembly\tChromosome\tPositionVCF\tReferenceAlleleVCF\tAlternateAlleleVCF\n"
            + "1\tNM_1.1(X):c.1A>G\tX\t\t9\tGRCh38\t1\t5\tA\tG\n"
            + "2\tNM_1.1(X):c.2A>G\tX\tPathogenic\t10\tGRCh38\t1\t6\tA\tG\n";
        var result = await ImportAsync(new InMemoryKnowledgeStore(), KnowledgeSource.ClinVar, "bad.txt", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)));
        var problem = Assert.Single(result.Diagnostics.Listed);
        Assert.Equal(2, problem.Position.Line);
        Assert.Equal("ClinicalSignificance", problem.Position.Field);
    }

    [Fact]
    public async Task Import_PharmCatPhenotype_ScoreLookupKeyAndFunctions()
    {
        var store = new InMemoryKnowledgeStore();
        await ImportAsync(store, KnowledgeSource.PharmCatPhenotype, "pgx/phenotype/CYP2C9.json");
        await ImportAsync(store, KnowledgeSource.PharmCatPhenotype, "pgx/phenotype/G6PD.json");
        var ct = TestContext.Current.CancellationToken;

        // CYP2C9 *3 is 0.0 and *1 is 1.0: an Intermediate Metabolizer that CPIC's recommendations find by score 1.0.
        var phenotype = (DiplotypePhenotypeDocument?)await store.ReadAsync(KnowledgeIds.Diplotype("CYP2C9", "*3/*1"), ct);
        Assert.Equal(("Intermediate Metabolizer", "1.0", "1.0"), (phenotype?.Phenotype, phenotype?.ActivityScore, phenotype?.LookupKey));
        var function = (AlleleFunctionDocument?)await store.ReadAsync(KnowledgeIds.AlleleFunction("CYP2C9", "*2"), ct);
        Assert.Equal(("Decreased function", "0.5"), (function?.Function, function?.ActivityValue));

        // G6PD's file has no namedAlleles: the functions come from its haplotypes; a male's diplotype is one allele.
        var g6pd = (AlleleFunctionDocument?)await store.ReadAsync(KnowledgeIds.AlleleFunction("G6PD", "A"), ct);
        Assert.Equal("IV/Normal", g6pd?.Function);
        Assert.Equal("Normal", ((DiplotypePhenotypeDocument?)await store.ReadAsync(KnowledgeIds.Diplotype("G6PD", "A"), ct))?.Phenotype);
    }

    [Fact]
    public async Task Import_AlleleDefinitions_EveryGeneOfTheCorpus()
    {
        var store = new InMemoryKnowledgeStore();
        var files = EmbeddedKnowledgeSeed.Files.Where(f => f.Source == KnowledgeSource.PharmCatAlleles).ToList();
        foreach (var (source, file) in files) Assert.Equal(0, (await ImportAsync(store, source, file)).Diagnostics.Count);

        Assert.Equal(20, files.Count);
        var definitions = (AlleleDefinitionDocument?)await store.ReadAsync(KnowledgeIds.AlleleDefinition("CYP2C19"), TestContext.Current.CancellationToken);
        Assert.Equal("GRCh38", definitions?.Build);
        Assert.Contains(definitions!.Positions, p => p.Position == 94781859 && p.RsId == "rs4244285");
    }
}
