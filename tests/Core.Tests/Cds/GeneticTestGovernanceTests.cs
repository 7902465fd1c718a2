using System.Text.Json.Nodes;
using PrecisionMed.Core.Cds;
using PrecisionMed.Core.Genomics.Index;

namespace PrecisionMed.Core.Tests.Cds;

/// <summary>
/// genetic-test-governance: a draft germline test the patient already has a final germline result for is a warning
/// naming the earlier test, date and lab, suggesting to cancel the draft; an order adding genes, a somatic test and a
/// reanalysis are not flagged; a second identical draft in the encounter is; a non-genetic order is ignored.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class GeneticTestGovernanceTests
{
    private const string Hgnc = "http://www.genenames.org";

    [Theory]
    [InlineData(CdsServiceCatalog.OrderSelect)]
    [InlineData(CdsServiceCatalog.OrderSign)]
    public async Task SamePanelOrderedAgain_WarnsWithTheEarlierTestAndSuggestsCancelling(string hook)
    {
        using var cds = new CdsFixture();
        await cds.AddGenotypesAsync("p1", "DiagnosticReport/pgx-panel", "2022-03-04T08:00:00Z", "CYP2C19 *1/*2", "CYP2D6 *1/*4");
        var draft = Order("sr1", ("urn:precisionmed:lab:example-lab", "SL-CGPANEL", "Pharmacogenomic panel"));

        var card = Assert.Single((await AnswerAsync(cds, hook, "p1", draft)).Cards);

        Assert.Empty(CdsCardRules.Breaches(card));
        Assert.Equal(CdsCard.Warning, card.Indicator);
        Assert.Contains("2022-03-04", card.Summary, StringComparison.Ordinal);
        Assert.Contains("Example PGx lab", card.Summary, StringComparison.Ordinal);
        Assert.Contains("DiagnosticReport/pgx-panel", card.Detail, StringComparison.Ordinal);
        Assert.Contains("ACC-1", card.Detail, StringComparison.Ordinal);
        var action = Assert.Single(Assert.Single(card.Suggestions!).Actions);
        Assert.Equal(("delete", "ServiceRequest/sr1"), (action.Type, action.ResourceId));
        Assert.Equal(CdsCardKind.DuplicateGeneticTest, CdsCardIds.KindOf(card.Uuid));
        Assert.Equal(1, cds.Index.SubjectReads);
    }

    [Fact]
    public async Task GenesAlreadyCovered_AreFlagged_AnOrderAddingAGeneIsNot()
    {
        using var cds = new CdsFixture();
        await cds.AddGenotypesAsync("p2", "DiagnosticReport/pgx", "2022-03-04", "CYP2C19 *1/*2", "CYP2D6 *1/*4");

        var covered = WithGenes(Order("sr1", ("http://loinc.org", "51969-4", "Genetic analysis report")), "CYP2C19");
        var adding = WithGenes(Order("sr2", ("http://loinc.org", "51969-4", "Genetic analysis report")), "CYP2C19", "DPYD");

        Assert.Single((await AnswerAsync(cds, CdsServiceCatalog.OrderSign, "p2", covered)).Cards);
        Assert.Empty((await AnswerAsync(cds, CdsServiceCatalog.OrderSign, "p2", adding)).Cards);
    }

    [Fact]
    public async Task SomaticReanalysisAndNonGeneticOrders_AreNotFlagged()
    {
        using var cds = new CdsFixture();
        await cds.AddGenotypesAsync("p3", "DiagnosticReport/pgx", "2022-03-04", "CYP2C19 *1/*2");
        var somatic = WithGenes(Order("sr1", ("http://loinc.org", "51969-4", "Tumor somatic panel")), "CYP2C19");
        var reanalysis = WithGenes(Order("sr2", ("http://loinc.org", "51969-4", "Genetic analysis report")), "CYP2C19");
        reanalysis["orderDetail"] = new JsonArray(new JsonObject { ["text"] = "Reanalysis of existing data" });
        var lipids = Order("sr3", ("http://loinc.org", "57698-3", "Lipid panel"));

        Assert.Empty((await AnswerAsync(cds, CdsServiceCatalog.OrderSign, "p3", somatic)).Cards);
        Assert.Empty((await AnswerAsync(cds, CdsServiceCatalog.OrderSign, "p3", reanalysis)).Cards);
        Assert.Empty((await AnswerAsync(cds, CdsServiceCatalog.OrderSign, "p3", lipids)).Cards);
        Assert.Equal(0, cds.Index.SubjectReads);
    }

    [Fact]
    public async Task ASomaticEarlierResult_DoesNotCountAsGermline()
    {
        using var cds = new CdsFixture();
        await cds.Index.WriteAsync(new IndexedReport
        {
            Report = "DiagnosticReport/tumour",
            Patient = "Patient/p4",
            Status = "final",
            TestDate = "2023-01-01",
            Variants = [new IndexedVariant("Observation/v1", null, null, null, null, null, null, [], [new IndexedGene(null, "BRCA1")], SourceClass: "LA6684-0")],
        }, TestContext.Current.CancellationToken);

        var draft = WithGenes(Order("sr1", ("http://loinc.org", "51969-4", "Hereditary cancer panel")), "BRCA1");

        Assert.Empty((await AnswerAsync(cds, CdsServiceCatalog.OrderSign, "p4", draft)).Cards);
    }

    [Fact]
    public async Task ASecondIdenticalDraftInTheEncounter_IsFlagged()
    {
        using var cds = new CdsFixture();
        var first = WithGenes(Order("sr1", ("http://loinc.org", "51969-4", "Hereditary cancer panel")), "BRCA1", "BRCA2");
        var second = WithGenes(Order("sr2", ("http://loinc.org", "51969-4", "Hereditary cancer panel")), "BRCA2", "BRCA1");

        var card = Assert.Single((await AnswerAsync(cds, CdsServiceCatalog.OrderSign, "nobody", first, second)).Cards);

        Assert.Equal(CdsCardKind.DuplicateDraftOrder, CdsCardIds.KindOf(card.Uuid));
        Assert.Equal("ServiceRequest/sr2", card.Suggestions![0].Actions[0].ResourceId);
        Assert.Empty(CdsCardRules.Breaches(card));
    }

    [Fact]
    public async Task AnEarlierResultOlderThanTheLookback_IsNotHeldAgainstTheOrder()
    {
        using var cds = new CdsFixture(new CdsOptions { GovernanceLookbackYears = 2 });
        await cds.AddGenotypesAsync("p5", "DiagnosticReport/pgx", "2001-03-04", "CYP2C19 *1/*2");

        var draft = WithGenes(Order("sr1", ("http://loinc.org", "51969-4", "Genetic analysis report")), "CYP2C19");

        Assert.Empty((await AnswerAsync(cds, CdsServiceCatalog.OrderSign, "p5", draft)).Cards);
    }

    [Fact]
    public async Task EarlierReportNamingNoLab_SaysSo_NeverAsIfOneWereNamed()
    {
        using var cds = new CdsFixture();
        await cds.Index.WriteAsync(new IndexedReport
        {
            Report = "DiagnosticReport/no-lab", Patient = "Patient/p-nolab", Status = "final", TestDate = "2024-02-22",
            Codes = ["http://loinc.org|51969-4"],
            Haplotypes = [new IndexedHaplotype("Observation/g1", "genotype", [new IndexedGene(null, "CYP2C19")], "CYP2C19 *2/*2", [])],
        }, TestContext.Current.CancellationToken);

        var card = Assert.Single((await AnswerAsync(cds, CdsServiceCatalog.OrderSign, "p-nolab", WithGenes(Order("sr1", ("http://loinc.org", "51969-4", "Genetic analysis report")), "CYP2C19"))).Cards);

        Assert.Equal("Already tested: Genetic analysis report resulted 2024-02-22; consider cancelling", card.Summary);
        Assert.Contains("2024-02-22, from a lab not stated", card.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("the lab", card.Summary + card.Detail, StringComparison.Ordinal);
    }

    private static JsonObject Order(string id, (string System, string Code, string Display) code) => new()
    {
        ["resourceType"] = "ServiceRequest",
        ["id"] = id,
        ["status"] = "draft",
        ["intent"] = "order",
        ["code"] = new JsonObject
        {
            ["coding"] = new JsonArray(new JsonObject { ["system"] = code.System, ["code"] = code.Code, ["display"] = code.Display }),
            ["text"] = code.Display,
        },
        ["encounter"] = new JsonObject { ["reference"] = "Encounter/enc-89284" },
    };

    private static JsonObject WithGenes(JsonObject order, params string[] genes)
    {
        order["orderDetail"] = new JsonArray([.. genes.Select(g => (JsonNode)new JsonObject
        {
            ["coding"] = new JsonArray(new JsonObject { ["system"] = Hgnc, ["code"] = $"HGNC:{g}", ["display"] = g }),
        })]);
        return order;
    }

    private static Task<CdsResponse> AnswerAsync(CdsFixture cds, string hook, string patient, params JsonObject[] orders) =>
        cds.Governance.AnswerAsync(CdsRequests.Parse(CdsRequests.Body(hook, patient, orders), $"genetic-test-governance-{hook}"), TestContext.Current.CancellationToken);
}
