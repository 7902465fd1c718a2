using System.Text.Json.Nodes;
using PrecisionMed.Core.Cds;

namespace PrecisionMed.Core.Tests.Cds;

/// <summary>
/// pgx-prescribing on both hooks: the CYP2C19 poor metaboliser ordering clopidogrel (CPIC: avoid) gets a critical card
/// stating genotype, phenotype, lab and date, CPIC's text, strength and source, with the suggestion to remove the draft;
/// the drug is recognised from a Medication (contained, prefetched, fetched); a multi-gene guideline names the gene
/// without a result; no result gives CPIC's pre-test card (or none when turned off); nothing applicable gives no card;
/// a missing Medication that cannot be fetched is the 412 case; one index read per call.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class PgxPrescribingServiceTests
{
    private const string Clopidogrel = "32968";
    private const string Warfarin = "11289";
    private const string Codeine = "2670";

    [Theory]
    [InlineData(CdsServiceCatalog.OrderSelect)]
    [InlineData(CdsServiceCatalog.OrderSign)]
    public async Task PoorMetaboliserOrderingClopidogrel_GetsACriticalCardToAvoidIt(string hook)
    {
        using var cds = new CdsFixture();
        await cds.AddGenotypesAsync("pm", "DiagnosticReport/pgx1", "2023-11-02T10:00:00Z", "CYP2C19 *2/*2");
        var order = CdsRequests.MedicationRequest("mr-clop", Clopidogrel, "clopidogrel 75 MG Oral Tablet");

        var response = await cds.Pgx.AnswerAsync(CdsRequests.Parse(CdsRequests.Body(hook, "pm", [order]), $"pgx-prescribing-{hook}"), TestContext.Current.CancellationToken);

        var card = Assert.Single(response.Cards);
        Assert.Empty(CdsCardRules.Breaches(card));
        Assert.Equal(CdsCard.Critical, card.Indicator);
        Assert.Contains("CYP2C19 Poor Metabolizer", card.Summary, StringComparison.Ordinal);
        Assert.Contains("avoid clopidogrel", card.Summary, StringComparison.Ordinal);
        Assert.True(card.Summary.Length < 140);
        Assert.Contains("`*2/*2`", card.Detail, StringComparison.Ordinal);
        Assert.Contains("Example PGx lab", card.Detail, StringComparison.Ordinal);
        Assert.Contains("2023-11-02", card.Detail, StringComparison.Ordinal);
        Assert.Contains("Strength (CPIC classification): Strong", card.Detail, StringComparison.Ordinal);
        Assert.Contains("prasugrel", card.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("CPIC", card.Source.Label);
        Assert.StartsWith("https://", card.Source.Url, StringComparison.Ordinal);
        Assert.Equal("pgx-avoid", card.Source.Topic!.Code);
        Assert.Equal(CdsCard.AtMostOne, card.SelectionBehavior);
        var action = Assert.Single(Assert.Single(card.Suggestions!).Actions);
        Assert.Equal(("delete", "MedicationRequest/mr-clop"), (action.Type, action.ResourceId));
        Assert.NotEmpty(card.OverrideReasons!);
        Assert.Equal(CdsCardKind.PgxAvoid, CdsCardIds.KindOf(card.Uuid));
        Assert.Equal(1, cds.Index.SubjectReads);
    }

    [Fact]
    public async Task OnAWarmCache_ACallReadsTheIndexOnceAndTheKnowledgeStoreNever()
    {
        using var cds = new CdsFixture();
        await cds.AddGenotypesAsync("warm", "DiagnosticReport/pgx-warm", "2024-01-05", "CYP2C19 *2/*2", "CYP2D6 *1/*4");
        var order = CdsRequests.MedicationRequest("mr1", Clopidogrel, "clopidogrel");
        await AnswerAsync(cds, "warm", order);
        var (index, store) = (cds.Index.SubjectReads, cds.Knowledge.StoreReads);

        Assert.Single((await AnswerAsync(cds, "warm", order)).Cards);

        Assert.Equal(index + 1, cds.Index.SubjectReads);
        Assert.Equal(store, cds.Knowledge.StoreReads);
    }

    [Fact]
    public async Task IntermediateMetaboliser_GetsAWarningWithoutASuggestion()
    {
        using var cds = new CdsFixture();
        await cds.AddGenotypesAsync("im", "DiagnosticReport/pgx2", "2024-01-05", "CYP2C19 *1/*2");

        var response = await AnswerAsync(cds, "im", CdsRequests.MedicationRequest("mr1", Clopidogrel, "clopidogrel"));

        var card = Assert.Single(response.Cards);
        Assert.True(card.Indicator is CdsCard.Warning or CdsCard.Critical, card.Indicator);
        Assert.Contains("Intermediate Metabolizer", card.Summary, StringComparison.Ordinal);
        Assert.Empty(CdsCardRules.Breaches(card));
    }

    [Fact]
    public async Task NormalMetaboliser_GetsNoCard_AndADrugWithoutAGuidelineNeither()
    {
        using var cds = new CdsFixture();
        await cds.AddGenotypesAsync("nm", "DiagnosticReport/pgx3", "2024-01-05", "CYP2C19 *1/*1");

        Assert.Empty((await AnswerAsync(cds, "nm", CdsRequests.MedicationRequest("mr1", Clopidogrel, "clopidogrel"))).Cards);
        Assert.Empty((await AnswerAsync(cds, "nm", CdsRequests.MedicationRequest("mr2", "161", "acetaminophen"))).Cards);
        Assert.Equal(1, cds.Index.SubjectReads); // the drug without a guideline costs no index read
    }

    [Fact]
    public async Task NoResultForTheGuidelinesGenes_GetsCpicsPreTestCard_UnlessTurnedOff()
    {
        using var cds = new CdsFixture();
        await cds.AddGenotypesAsync("untested", "DiagnosticReport/pgx4", "2024-01-05", "CYP2C19 *1/*1");

        var card = Assert.Single((await AnswerAsync(cds, "untested", CdsRequests.MedicationRequest("mr1", Codeine, "codeine sulfate"))).Cards);

        Assert.Equal(CdsCard.Info, card.Indicator);
        Assert.Contains("CYP2D6", card.Summary, StringComparison.Ordinal);
        Assert.Contains("no result for CYP2D6", card.Detail, StringComparison.Ordinal);
        Assert.Contains("CPIC pre-test alert", card.Detail, StringComparison.Ordinal);
        Assert.Empty(CdsCardRules.Breaches(card));

        using var off = new CdsFixture(new CdsOptions { PreTestOffDrugs = "Codeine; tramadol" });
        Assert.Empty((await AnswerAsync(off, "untested", CdsRequests.MedicationRequest("mr1", Codeine, "codeine"))).Cards);
        using var none = new CdsFixture(new CdsOptions { PreTestCards = false });
        Assert.Empty((await AnswerAsync(none, "untested", CdsRequests.MedicationRequest("mr1", Codeine, "codeine"))).Cards);
    }

    [Fact]
    public async Task Warfarin_IsDecidedOnAllItsGenes_AndNamesTheOnesWithoutAResult()
    {
        using var cds = new CdsFixture();
        await cds.AddGenotypesAsync("w", "DiagnosticReport/pgx5", "2024-01-05", "CYP2C9 *1/*3");

        var cards = (await AnswerAsync(cds, "w", CdsRequests.MedicationRequest("mr1", Warfarin, "warfarin sodium 5 MG"))).Cards;

        var card = Assert.Single(cards);
        Assert.Empty(CdsCardRules.Breaches(card));
        Assert.Contains("CYP2C9", card.Detail, StringComparison.Ordinal);
        Assert.Contains("no result for VKORC1", card.Detail, StringComparison.Ordinal);
        Assert.Contains("no result for CYP4F2", card.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DrugFromAMedicationsIngredients_ContainedPrefetchedOrFetched()
    {
        using var cds = new CdsFixture();
        await cds.AddGenotypesAsync("pm", "DiagnosticReport/pgx6", "2024-01-05", "CYP2C19 *2/*3");
        var medication = new JsonObject
        {
            ["resourceType"] = "Medication",
            ["id"] = "med-plavix",
            ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = CdsRequests.RxNorm, ["code"] = "213169", ["display"] = "Plavix 75 MG Oral Tablet" }) },
            ["ingredient"] = new JsonArray(new JsonObject
            {
                ["itemCodeableConcept"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = CdsRequests.RxNorm, ["code"] = Clopidogrel }) },
            }),
        };

        var contained = ByReference("#med-plavix");
        contained["contained"] = new JsonArray(medication.DeepClone());
        Assert.Equal(CdsCard.Critical, Assert.Single((await AnswerAsync(cds, "pm", contained)).Cards).Indicator);

        var prefetch = new JsonObject
        {
            ["draftMedications"] = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "searchset", ["entry"] = new JsonArray(new JsonObject { ["resource"] = medication.DeepClone() }) },
        };
        var body = CdsRequests.Body(CdsServiceCatalog.OrderSign, "pm", [ByReference("Medication/med-plavix")], prefetch: prefetch);
        Assert.Single((await cds.Pgx.AnswerAsync(CdsRequests.Parse(body, "pgx-prescribing-order-sign"), TestContext.Current.CancellationToken)).Cards);

        // Not sent: without a reachable FHIR server it is the 412 case; with one, it is read there.
        await Assert.ThrowsAsync<CdsFetchException>(() => AnswerAsync(cds, "pm", ByReference("Medication/med-plavix")));
        cds.Fhir.Down = false;
        // A server that does not have it: the drug is unknown, the 412 case too, not an answer without a card.
        var unknown = await Assert.ThrowsAsync<CdsFetchException>(() => AnswerAsync(cds, "pm", ByReference("Medication/med-plavix")));
        Assert.Contains("the order's drug is unknown", unknown.Message, StringComparison.Ordinal);
        cds.Fhir.Resources["Medication/med-plavix"] = medication;
        Assert.Single((await AnswerAsync(cds, "pm", ByReference("Medication/med-plavix"))).Cards);
    }

    [Fact]
    public async Task OrderSelect_AnswersForTheSelectedOrdersOnly()
    {
        using var cds = new CdsFixture();
        await cds.AddGenotypesAsync("pm", "DiagnosticReport/pgx7", "2024-01-05", "CYP2C19 *2/*2");
        var clopidogrel = CdsRequests.MedicationRequest("mr-clop", Clopidogrel, "clopidogrel");
        var other = CdsRequests.MedicationRequest("mr-apap", "161", "acetaminophen");

        var selectedOther = CdsRequests.Body(CdsServiceCatalog.OrderSelect, "pm", [clopidogrel, other], ["MedicationRequest/mr-apap"]);
        var selectedClopidogrel = CdsRequests.Body(CdsServiceCatalog.OrderSelect, "pm", [clopidogrel, other], ["MedicationRequest/mr-clop"]);

        Assert.Empty((await cds.Pgx.AnswerAsync(CdsRequests.Parse(selectedOther, "pgx-prescribing-order-select"), TestContext.Current.CancellationToken)).Cards);
        Assert.Single((await cds.Pgx.AnswerAsync(CdsRequests.Parse(selectedClopidogrel, "pgx-prescribing-order-select"), TestContext.Current.CancellationToken)).Cards);
    }

    [Fact]
    public async Task ANewerReport_WinsOverAnOlderOne()
    {
        using var cds = new CdsFixture();
        await cds.AddGenotypesAsync("two", "DiagnosticReport/old", "2019-01-01", "CYP2C19 *1/*1");
        await cds.AddGenotypesAsync("two", "DiagnosticReport/new", "2024-06-01", "CYP2C19 *2/*2");

        var card = Assert.Single((await AnswerAsync(cds, "two", CdsRequests.MedicationRequest("mr1", Clopidogrel, "clopidogrel"))).Cards);

        Assert.Contains("DiagnosticReport/new", card.Detail, StringComparison.Ordinal);
    }

    private static JsonObject ByReference(string reference)
    {
        var order = CdsRequests.MedicationRequest("mr-ref", null, "x");
        order.Remove("medicationCodeableConcept");
        order["medicationReference"] = new JsonObject { ["reference"] = reference };
        return order;
    }

    private static Task<CdsResponse> AnswerAsync(CdsFixture cds, string patient, JsonObject order) =>
        cds.Pgx.AnswerAsync(CdsRequests.Parse(CdsRequests.Body(CdsServiceCatalog.OrderSign, patient, [order]), "pgx-prescribing-order-sign"), TestContext.Current.CancellationToken);
}
