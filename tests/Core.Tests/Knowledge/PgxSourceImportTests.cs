using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Import;

namespace PrecisionMed.Core.Tests.Knowledge;

/// <summary>
/// The importers of the real PharmCAT, CPIC and HGNC layouts, over the corpus files (the embedded default holds them
/// byte for byte; the 2019 HGNC set is a TestData copy).
/// </summary>
[Trait("Tier", "Fast")]
public sealed class PgxSourceImportTests
{
    private static async Task<(InMemoryKnowledgeStore Store, ImportResult Result)> ImportAsync(KnowledgeSource source, string file)
    {
        var store = new InMemoryKnowledgeStore();
        var result = await EmbeddedKnowledgeSeed.ImportAsync(new KnowledgeImporter(store, store), source, file, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(0, result.Diagnostics.Count);
        return (store, result);
    }

    [Fact]
    public async Task Import_GuidelinePackages_GroupedByGeneSetWithEveryRecommendation()
    {
        var (store, result) = await ImportAsync(KnowledgeSource.PharmCatGuidelines, "pgx/guidelines/");
        var ct = TestContext.Current.CancellationToken;
        var index = (GuidelineIndexDocument?)await store.ReadAsync(KnowledgeIds.GuidelineIndex, ct);

        Assert.NotNull(index);
        Assert.Equal(index.GeneSets.Count + 1, result.Documents);
        var sets = new List<GuidelineSetDocument>();
        foreach (var geneSet in index.GeneSets) sets.Add(Assert.IsType<GuidelineSetDocument>(await store.ReadAsync(KnowledgeIds.GuidelineSet(geneSet.Genes), ct)));

        // The corpus README's counts: 118 packages (56 CPIC, 62 DPWG), 2,583 recommendations.
        var guidelines = sets.SelectMany(s => s.Guidelines).ToList();
        Assert.Equal((118, 56, 62), (guidelines.Count, guidelines.Count(g => g.Source == "CPIC"), guidelines.Count(g => g.Source == "DPWG")));
        Assert.Equal(2583, guidelines.Sum(g => g.Recommendations.Count));

        // Amitriptyline's CPIC guideline keys CYP2C19 and CYP2D6 together; CPIC comes before DPWG within a set.
        var tca = sets.Single(s => s.Genes.SequenceEqual(["CYP2C19", "CYP2D6"]));
        Assert.Contains(tca.Guidelines, g => g.Drugs.Any(d => d.Name == "amitriptyline"));
        var cyp2c19 = sets.Single(s => s.Genes.SequenceEqual(["CYP2C19"]));
        Assert.Equal("CPIC", cyp2c19.Guidelines[0].Source);
        Assert.Equal("DPWG", cyp2c19.Guidelines[^1].Source);
        var clopidogrel = cyp2c19.Guidelines.First(g => g.Source == "CPIC" && g.Drugs.Any(d => d.Name == "clopidogrel"));
        Assert.Equal("https://www.pharmgkb.org/guidelineAnnotation/PA166104948", clopidogrel.Url);
        var poor = clopidogrel.Recommendations.Single(r => r.LookupKey.Single().Value == "Poor Metabolizer" && r.Population == "CVI ACS PCI");
        Assert.Equal("Strong", poor.Classification);
        Assert.StartsWith("Avoid clopidogrel if possible. Use prasugrel or ticagrelor", cyp2c19.Texts[poor.Text], StringComparison.Ordinal);
        Assert.True(poor.ChangesPrescribing.HasFlag(PrescribingChange.AlternateDrug));

        // HLA results and DPWG's allele counts are kept as keys; warfarin's CPIC package keys nothing (a dosing algorithm).
        Assert.Contains(sets.SelectMany(s => s.Guidelines).SelectMany(g => g.Recommendations), r => r.LookupKey.Any(k => k.Gene == "HLA-B" && k.Value == "*57:01 positive"));
        var dpwgWarfarin = sets.Single(s => s.Genes.SequenceEqual(["CYP2C9"])).Guidelines.Single(g => g.Source == "DPWG" && g.Drugs.Any(d => d.Name == "warfarin"));
        Assert.Contains(dpwgWarfarin.Recommendations, r => r.LookupKey.Single().Value == "*1/*3");
        var cpicWarfarin = sets.Single(s => s.Genes.SequenceEqual(["CYP2C9", "CYP4F2", "VKORC1"])).Guidelines.Single();
        Assert.Empty(cpicWarfarin.Recommendations);

        // The repeated wordings are stored once: the tricyclics' 1,075 recommendations stay far under Cosmos DB's 2 MB.
        Assert.True(KnowledgeJson.Serialize(tca).Json.Length < 400_000, $"{KnowledgeJson.Serialize(tca).Json.Length} bytes");
    }

    [Fact]
    public async Task Import_GuidelinesAsFolderOrZip_SameSetIdentity()
    {
        var folder = await ImportAsync(KnowledgeSource.PharmCatGuidelines, "pgx/guidelines/");
        using var zip = new MemoryStream();
        using (var archive = new System.IO.Compression.ZipArchive(zip, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in EmbeddedKnowledgeSeed.Folder("pgx/guidelines/").Reverse())
            {
                await using var entry = archive.CreateEntry(file.Name).Open();
                await using var content = file.Open();
                await content.CopyToAsync(entry, TestContext.Current.CancellationToken);
            }
        }

        zip.Position = 0;
        var store = new InMemoryKnowledgeStore();
        var zipped = await new KnowledgeImporter(store, store).ImportAsync(KnowledgeSource.PharmCatGuidelines, zip, "guidelines.zip", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(folder.Result.Documents, zipped.Documents);
        var stamp = (KnowledgeVersionDocument?)await folder.Store.ReadAsync(KnowledgeIds.Version, TestContext.Current.CancellationToken);
        var zipStamp = (KnowledgeVersionDocument?)await store.ReadAsync(KnowledgeIds.Version, TestContext.Current.CancellationToken);
        Assert.Equal(stamp!.Sources.Single().Sha256, zipStamp!.Sources.Single().Sha256);
    }

    [Fact]
    public async Task Import_CpicDrugTable_CodesByPharmGkbId()
    {
        var (store, result) = await ImportAsync(KnowledgeSource.CpicDrugs, "pgx/cpic/cpic_drugs_rxnorm_2019bootstrap.tsv");
        var table = (DrugTableDocument?)await store.ReadAsync(KnowledgeIds.DrugTable, TestContext.Current.CancellationToken);

        Assert.Equal(1, result.Documents);
        Assert.Equal(245, table!.Drugs.Count);
        var abacavir = table.Drugs.Single(d => d.PharmGkbId == "PA448004");
        Assert.Equal(("190521", "DB01048"), (abacavir.RxNorm, abacavir.DrugBank));
        Assert.Equal(["J05AF06", "J05AR02", "J05AR13", "J05AR04"], abacavir.Atc);
        Assert.Null(table.Drugs.Single(d => d.DrugId == "ATC:C09AA").RxNorm); // a drug class: no ingredient
    }

    [Fact]
    public async Task Import_CpicAlerts_PerDrugAcrossSheets()
    {
        var (store, _) = await ImportAsync(KnowledgeSource.CpicAlerts, "pgx/cpic/alerts/");
        var ct = TestContext.Current.CancellationToken;

        var clopidogrel = (CdsAlertDocument?)await store.ReadAsync(KnowledgeIds.CdsAlerts("clopidogrel"), ct);
        Assert.Contains(clopidogrel!.Alerts, a => a.Context == "pre-test");
        var poor = clopidogrel.Alerts.Single(a => a.Triggers.Contains("CYP2C19 Phenotype: CYP2C19 poor metabolizer"));
        Assert.Equal("post-test", poor.Context);
        Assert.StartsWith("Based on the genotype result, this patient is predicted to be a CYP2C19 poor metabolizer.", poor.Text, StringComparison.Ordinal);

        // Two PPI population sheets, one drug; a class workbook's per-drug columns; the carbamazepine workbook's two drugs.
        var omeprazole = (CdsAlertDocument?)await store.ReadAsync(KnowledgeIds.CdsAlerts("omeprazole"), ct);
        Assert.Equal(2, omeprazole!.Alerts.Select(a => a.Population).Distinct().Count());
        foreach (var drug in new[] { "mercaptopurine", "azathioprine", "thioguanine", "fluorouracil", "capecitabine", "carbamazepine", "oxcarbazepine", "celecoxib" })
            Assert.NotNull(await store.ReadAsync(KnowledgeIds.CdsAlerts(drug), ct));

        // The merged first trigger of the carbamazepine sheet carries down its rows.
        var carbamazepine = (CdsAlertDocument?)await store.ReadAsync(KnowledgeIds.CdsAlerts("carbamazepine"), ct);
        Assert.Contains(carbamazepine!.Alerts, a => a.Triggers.SequenceEqual(["Trigger Condition 1: HLA-B*15:02 positive", "Trigger Condition 2: HLA-A*31:01 negative"]));
    }

    [Fact]
    public async Task Import_Hgnc2019AndCurrentLayouts_SameGeneByHeaderNames()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new InMemoryKnowledgeStore();
        ImportResult result;
        await using (var file = File.OpenRead(TestFiles.PathOf("knowledge/hgnc/hgnc_complete_set_2019-01.txt.gz")))
            result = await new KnowledgeImporter(store, store).ImportAsync(KnowledgeSource.Hgnc, file, "hgnc_complete_set_2019-01.txt.gz", cancellationToken: ct);
        var (current, _) = await ImportAsync(KnowledgeSource.Hgnc, "hgnc_complete_set.slice.txt");

        Assert.Equal(0, result.Diagnostics.Count);
        var old = (GeneDocument?)await store.ReadAsync(KnowledgeIds.Gene("HGNC:2621"), ct);
        var now = (GeneDocument?)await current.ReadAsync(KnowledgeIds.Gene("HGNC:2621"), ct);
        Assert.Equal((now!.Symbol, now.Location, now.EntrezId), (old!.Symbol, old.Location, old.EntrezId));
        Assert.Contains("CPCJ", old.Aliases);

        // 42,741 entries, 1,179 of them withdrawn: findable by id, never by a symbol a lab writes.
        Assert.Equal("Entry Withdrawn", ((GeneDocument?)await store.ReadAsync(KnowledgeIds.Gene("HGNC:3568"), ct))?.Status);
        Assert.Equal("ACSL1", ((GeneSymbolDocument?)await store.ReadAsync(KnowledgeIds.Symbol("FACL1"), ct))?.Resolve()?.ApprovedSymbol);
        var krt = (GeneSymbolDocument?)await store.ReadAsync(KnowledgeIds.Symbol("KRT16P1"), ct);
        Assert.Single(krt!.Genes);
    }
}
