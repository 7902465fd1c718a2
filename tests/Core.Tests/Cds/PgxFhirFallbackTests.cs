using System.Text.Json.Nodes;
using PrecisionMed.Core.Cds;

namespace PrecisionMed.Core.Tests.Cds;

/// <summary>
/// pgx-prescribing when the genomic index has nothing for the patient: their DiagnosticReports and genotype Observations
/// are searched on FHIR (the EHR's server with its <c>fhirAuthorization</c> token when sent, else the app's own) and
/// decided on exactly as index entries are; the card says where the results came from. With no FHIR server to ask, the
/// index's answer stands (CPIC's pre-test card); with results in the index, FHIR is not searched.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class PgxFhirFallbackTests
{
    private const string Clopidogrel = "32968";

    [Fact]
    public async Task NotInTheIndex_GenotypeOnTheEhrsFhirServer_CardFromIt_SearchedWithTheEhrsToken()
    {
        using var cds = new CdsFixture();
        cds.Fhir.Down = false;
        AddEhrReport(cds.Fhir, "fhir-pm");
        var body = CdsRequests.Body(CdsServiceCatalog.OrderSelect, "fhir-pm", [CdsRequests.MedicationRequest("mr-1", Clopidogrel, "clopidogrel")]);
        body["fhirServer"] = "https://ehr.example.org/fhir";
        body["fhirAuthorization"] = new JsonObject { ["access_token"] = "ehr-token", ["token_type"] = "Bearer", ["scope"] = "patient/Observation.read" };

        var response = await cds.Pgx.AnswerAsync(CdsRequests.Parse(body, "pgx-prescribing-order-select"), TestContext.Current.CancellationToken);

        var card = Assert.Single(response.Cards);
        Assert.Equal(CdsCard.Critical, card.Indicator);
        Assert.Contains("CYP2C19 Poor Metabolizer", card.Summary, StringComparison.Ordinal);
        Assert.Contains("(EHR's FHIR server)", card.Detail, StringComparison.Ordinal);
        Assert.Contains("2022-05-01", card.Detail, StringComparison.Ordinal);
        Assert.Contains("DiagnosticReport/dr-ehr", card.Detail, StringComparison.Ordinal);
        Assert.Equal(2, cds.Fhir.Searches.Count);
        Assert.All(cds.Fhir.Searches, s => Assert.Equal("ehr-token", s.Token));
        Assert.StartsWith("DiagnosticReport?subject=Patient%2Ffhir-pm", cds.Fhir.Searches[0].Query, StringComparison.Ordinal);
        Assert.Contains("84413-4", Uri.UnescapeDataString(cds.Fhir.Searches[1].Query), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotInTheIndex_SearchAnswersWithAnotherPatientsResults_RefusedAsUnreadable_NoCard()
    {
        using var cds = new CdsFixture();
        cds.Fhir.Down = false;
        AddEhrReport(cds.Fhir, "someone-else"); // the fixture's search, like a server ignoring subject, answers with every report
        var body = CdsRequests.Body(CdsServiceCatalog.OrderSelect, "fhir-pm", [CdsRequests.MedicationRequest("mr-1", Clopidogrel, "clopidogrel")]);

        var refused = await Assert.ThrowsAsync<CdsFetchException>(
            () => cds.Pgx.AnswerAsync(CdsRequests.Parse(body, "pgx-prescribing-order-select"), TestContext.Current.CancellationToken));

        Assert.Contains("not this patient's", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("someone-else", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotInTheIndex_ResultsReferencingThePatientByAbsoluteUrl_AreThePatients()
    {
        using var cds = new CdsFixture();
        cds.Fhir.Down = false;
        AddEhrReport(cds.Fhir, "fhir-pm");
        foreach (var resource in cds.Fhir.Resources.Values) resource["subject"] = new JsonObject { ["reference"] = "https://ehr.example.org/fhir/Patient/fhir-pm/_history/3" };
        var body = CdsRequests.Body(CdsServiceCatalog.OrderSelect, "fhir-pm", [CdsRequests.MedicationRequest("mr-1", Clopidogrel, "clopidogrel")]);

        var card = Assert.Single((await cds.Pgx.AnswerAsync(CdsRequests.Parse(body, "pgx-prescribing-order-select"), TestContext.Current.CancellationToken)).Cards);

        Assert.Equal(CdsCard.Critical, card.Indicator);
    }

    [Fact]
    public async Task NotInTheIndex_NoFhirServerToAsk_ThePreTestCard()
    {
        using var cds = new CdsFixture(); // its FHIR reader is down: no server to ask
        var body = CdsRequests.Body(CdsServiceCatalog.OrderSelect, "untested", [CdsRequests.MedicationRequest("mr-1", Clopidogrel, "clopidogrel")]);

        var card = Assert.Single((await cds.Pgx.AnswerAsync(CdsRequests.Parse(body, "pgx-prescribing-order-select"), TestContext.Current.CancellationToken)).Cards);

        Assert.Equal(CdsCardKind.PgxPreTest, CdsCardIds.KindOf(card.Uuid));
        Assert.Single(cds.Fhir.Searches);
    }

    [Fact]
    public async Task InTheIndex_FhirIsNotSearched()
    {
        using var cds = new CdsFixture();
        cds.Fhir.Down = false;
        await cds.AddGenotypesAsync("indexed", "DiagnosticReport/pgx1", "2023-11-02", "CYP2C19 *2/*2");
        var body = CdsRequests.Body(CdsServiceCatalog.OrderSelect, "indexed", [CdsRequests.MedicationRequest("mr-1", Clopidogrel, "clopidogrel")]);

        var card = Assert.Single((await cds.Pgx.AnswerAsync(CdsRequests.Parse(body, "pgx-prescribing-order-select"), TestContext.Current.CancellationToken)).Cards);

        Assert.Contains("(genomic index)", card.Detail, StringComparison.Ordinal);
        Assert.Empty(cds.Fhir.Searches);
    }

    /// <summary>A final PGx report and its CYP2C19 *2/*2 genotype (Genomics Reporting IG profile), as an EHR holds them.</summary>
    private static void AddEhrReport(CdsFixture.RecordingFhir fhir, string patient)
    {
        fhir.Resources["DiagnosticReport/dr-ehr"] = new JsonObject
        {
            ["resourceType"] = "DiagnosticReport", ["id"] = "dr-ehr", ["status"] = "final",
            ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://loinc.org", ["code"] = "51969-4" }) },
            ["subject"] = new JsonObject { ["reference"] = $"Patient/{patient}" },
            ["effectiveDateTime"] = "2022-05-01",
            ["result"] = new JsonArray(new JsonObject { ["reference"] = "Observation/gt-1" }),
        };
        fhir.Resources["Observation/gt-1"] = new JsonObject
        {
            ["resourceType"] = "Observation", ["id"] = "gt-1", ["status"] = "final",
            ["meta"] = new JsonObject { ["profile"] = new JsonArray((JsonNode)"http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/genotype") },
            ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://loinc.org", ["code"] = "84413-4" }) },
            ["subject"] = new JsonObject { ["reference"] = $"Patient/{patient}" },
            ["valueCodeableConcept"] = new JsonObject { ["text"] = "CYP2C19 *2/*2" },
            ["component"] = new JsonArray(new JsonObject
            {
                ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://loinc.org", ["code"] = "48018-6" }) },
                ["valueCodeableConcept"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://www.genenames.org/geneId", ["code"] = "HGNC:2621", ["display"] = "CYP2C19" }) },
            }),
        };
    }
}
