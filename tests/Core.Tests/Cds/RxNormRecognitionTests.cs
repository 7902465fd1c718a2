using PrecisionMed.Core.Cds;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Import;

namespace PrecisionMed.Core.Tests.Cds;

/// <summary>
/// The RxNorm clinical-drug → ingredient table: imported from RxNorm's RRF pair (TestData/knowledge/rxnorm, real RXCUIs
/// in the release's layout), each drug concept resolved along RxNorm's own relationships; then pgx-prescribing
/// recognises a draft order coded only with the clinical drug (SCD) or the branded drug (SBD) as its CPIC ingredient.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class RxNormRecognitionTests
{
    private static readonly DirectoryInfo Release = new(TestFiles.PathOf("knowledge/rxnorm/rrf"));

    [Fact]
    public async Task Import_RrfPair_EachDrugConceptWithTheIngredientItResolvesTo_SecondImportWritesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new InMemoryKnowledgeStore();
        var importer = new KnowledgeImporter(store, store);

        var result = await importer.ImportSetAsync(KnowledgeSource.RxNorm, KnowledgeSourceFile.FromFolder(Release), "rrf", cancellationToken: ct);

        Assert.Equal(0, result.Diagnostics.Count);
        var drugs = store.Documents.OfType<RxNormDrugDocument>().ToDictionary(d => d.RxCui);
        Assert.Equal(["174742", "213169", "309362", "318221"], drugs.Keys.Order(StringComparer.Ordinal));
        foreach (var drug in drugs.Values) Assert.Equal([new RxNormIngredient("32968", "clopidogrel")], drug.Ingredients);
        Assert.Equal(("SCD", "clopidogrel 75 MG Oral Tablet"), (drugs["309362"].Tty, drugs["309362"].Name));
        Assert.Equal(("SBD", "Plavix 75 MG Oral Tablet"), (drugs["213169"].Tty, drugs["213169"].Name));
        Assert.Equal("BN", drugs["174742"].Tty);

        // Ingredients get no document (their code is CPIC's key already); a drug with no relationships resolves to nothing.
        Assert.Null(await store.ReadAsync(KnowledgeIds.RxNormDrug("32968"), ct));
        Assert.Null(await store.ReadAsync(KnowledgeIds.RxNormDrug("855332"), ct));

        var again = await importer.ImportSetAsync(KnowledgeSource.RxNorm, KnowledgeSourceFile.FromFolder(Release), "rrf", cancellationToken: ct);
        Assert.Equal((4, 0L, false), (again.Documents, again.Written, again.VersionWritten));
    }

    [Fact]
    public async Task Import_WithoutTheRelationsFile_RefusedSayingBothAreNeeded()
    {
        var store = new InMemoryKnowledgeStore();
        var files = KnowledgeSourceFile.FromFolder(Release).Where(f => f.Name == RxNormReader.ConceptsFile).ToList();

        var refused = await Assert.ThrowsAsync<InvalidDataException>(
            () => new KnowledgeImporter(store, store).ImportSetAsync(KnowledgeSource.RxNorm, files, "rrf", cancellationToken: TestContext.Current.CancellationToken));

        Assert.StartsWith("rrf: no RxNorm drugs in it", refused.Message, StringComparison.Ordinal);
        Assert.Contains("RXNREL.RRF", refused.Message, StringComparison.Ordinal);
        Assert.Null(await store.ReadAsync(KnowledgeIds.Version, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("309362", "clopidogrel 75 MG Oral Tablet")]
    [InlineData("213169", "Plavix 75 MG Oral Tablet")]
    public async Task DraftCodedOnlyWithAClinicalOrBrandedDrug_IsRecognisedThroughTheTable(string rxcui, string display)
    {
        var ct = TestContext.Current.CancellationToken;
        var rxnorm = new InMemoryKnowledgeStore();
        await new KnowledgeImporter(rxnorm, rxnorm).ImportSetAsync(KnowledgeSource.RxNorm, KnowledgeSourceFile.FromFolder(Release), "rrf", cancellationToken: ct);
        var body = CdsRequests.Body(CdsServiceCatalog.OrderSelect, "pm", [CdsRequests.MedicationRequest("mr-scd", rxcui, display)]);

        // Without the table the code means nothing to CPIC's drug table (keyed by ingredient): no card.
        using (var seedOnly = new CdsFixture())
        {
            await seedOnly.AddGenotypesAsync("pm", "DiagnosticReport/pgx1", "2023-11-02", "CYP2C19 *2/*2");
            Assert.Empty((await seedOnly.Pgx.AnswerAsync(CdsRequests.Parse(body, "pgx-prescribing-order-select"), ct)).Cards);
        }

        using var cds = new CdsFixture(knowledge: new SeedWith(rxnorm));
        await cds.AddGenotypesAsync("pm", "DiagnosticReport/pgx1", "2023-11-02", "CYP2C19 *2/*2");
        var card = Assert.Single((await cds.Pgx.AnswerAsync(CdsRequests.Parse(body, "pgx-prescribing-order-select"), ct)).Cards);
        Assert.Equal(CdsCard.Critical, card.Indicator);
        Assert.Contains("avoid clopidogrel", card.Summary, StringComparison.Ordinal);
        Assert.Equal(("delete", "MedicationRequest/mr-scd"), (card.Suggestions![0].Actions[0].Type, card.Suggestions[0].Actions[0].ResourceId));

        // Warm: the same call again reads nothing from the knowledge store (the table's answer is cached, absences too).
        var reads = cds.Knowledge.StoreReads;
        Assert.Single((await cds.Pgx.AnswerAsync(CdsRequests.Parse(CdsRequests.Body(CdsServiceCatalog.OrderSelect, "pm", [CdsRequests.MedicationRequest("mr-2", rxcui, display)]), "pgx-prescribing-order-select"), ct)).Cards);
        Assert.Equal(reads, cds.Knowledge.StoreReads);
    }

    /// <summary>The embedded seed with the RxNorm documents of an import beside it: the knowledge a deployment holds after both imports.</summary>
    private sealed class SeedWith(InMemoryKnowledgeStore rxnorm) : IKnowledgeStore
    {
        public async Task<KnowledgeDocument?> ReadAsync(string id, CancellationToken cancellationToken) =>
            await rxnorm.ReadAsync(id, cancellationToken) ?? await EmbeddedKnowledgeSeed.Instance.ReadAsync(id, cancellationToken);
    }
}
