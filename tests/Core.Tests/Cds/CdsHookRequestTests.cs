using System.Text;
using System.Text.Json.Nodes;
using PrecisionMed.Core.Cds;
using PrecisionMed.Core.Cds.Feedback;

namespace PrecisionMed.Core.Tests.Cds;

/// <summary>
/// The CDS Hooks 2.0.1 request and feedback shapes: both hooks' contexts read (draftOrders a Bundle, order-select's
/// selections), each malformed field named; discovery lists one service per hook with prefetch and usage; card UUIDs
/// carry their kind for feedback; feedback keeps no free text.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class CdsHookRequestTests
{
    [Fact]
    public void OrderSelectAndOrderSign_ContextsAreRead()
    {
        var order = CdsRequests.MedicationRequest("mr1", "32968", "clopidogrel");
        var select = CdsRequests.Parse(CdsRequests.Body(CdsServiceCatalog.OrderSelect, "pat-1", [order]), "pgx-prescribing-order-select");
        var sign = CdsRequests.Parse(CdsRequests.Body(CdsServiceCatalog.OrderSign, "pat-1", [order]), "pgx-prescribing-order-sign");

        Assert.Equal(("pat-1", "enc-89284", "PractitionerRole/123"), (select.PatientId, select.EncounterId, select.UserId));
        Assert.Equal(["MedicationRequest/mr1"], select.Orders.Selections);
        Assert.Empty(sign.Orders.Selections);
        Assert.Single(sign.Orders.ToAnswer("MedicationRequest"));
    }

    [Theory]
    [InlineData("hook", null, "hook is required")]
    [InlineData("hook", "order-sign", "answers the order-select hook")]
    [InlineData("hookInstance", null, "hookInstance is required")]
    [InlineData("context", null, "context is required")]
    [InlineData("fhirServer", "not a url", "fhirServer must be an absolute")]
    public void MalformedRequests_NameTheField(string field, string? value, string error)
    {
        var body = CdsRequests.Body(CdsServiceCatalog.OrderSelect, "pat-1", [CdsRequests.MedicationRequest("mr1", "32968", "clopidogrel")]);
        if (value is null) body.Remove(field);
        else body[field] = value;

        var (request, message) = CdsHookRequest.Parse(Encoding.UTF8.GetBytes(body.ToJsonString()), CdsServiceCatalog.Find("pgx-prescribing-order-select")!);

        Assert.Null(request);
        Assert.Contains(error, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pat-1", true)]
    [InlineData(null, true)]
    [InlineData("pat-2", false)]
    public void FhirAuthorizationRestrictedToAnotherPatient_Refused(string? tokenPatient, bool accepted)
    {
        var body = CdsRequests.Body(CdsServiceCatalog.OrderSign, "pat-1", [CdsRequests.MedicationRequest("mr1", "32968", "clopidogrel")]);
        body["fhirServer"] = "https://ehr.example.org/fhir";
        body["fhirAuthorization"] = new JsonObject
        {
            ["access_token"] = "some-opaque-fhir-access-token", ["token_type"] = "Bearer", ["expires_in"] = 300, ["scope"] = "patient/Observation.read", ["subject"] = "cds-service4",
        };
        if (tokenPatient is not null) body["fhirAuthorization"]!["patient"] = tokenPatient;

        var (request, message) = CdsHookRequest.Parse(Encoding.UTF8.GetBytes(body.ToJsonString()), CdsServiceCatalog.Find("pgx-prescribing-order-sign")!);

        Assert.Equal(accepted, request is not null);
        if (!accepted) Assert.Equal("fhirAuthorization.patient is another patient than context.patientId; a call is about one patient", message);
    }

    [Theory]
    [InlineData("subject", "Patient/pat-2", false)]
    [InlineData("subject", "https://ehr.example.org/fhir/Patient/pat-2/_history/4", false)]
    [InlineData("patient", "Patient/pat-2", false)]
    [InlineData("subject", "Patient/pat-1", true)]
    [InlineData("subject", "https://ehr.example.org/fhir/Patient/pat-1", true)]
    [InlineData("subject", "Group/cohort-1", false)]
    [InlineData("subject", "#contained-patient", false)]
    [InlineData("subject", "urn:uuid:4a2f7c1e-9b3d-4e8a-a1c5-6d7e8f9a0b1c", false)]
    [InlineData("subject", "Patient/pat-2/", false)]
    [InlineData("subject", "patient/pat-2", false)]
    [InlineData("subject", "Patient?identifier=urn:mrn|456", false)]
    [InlineData("for", "Patient/pat-2", false)]
    [InlineData("for", "Patient/pat-1", true)]
    public void DraftOrderNamingAnotherPatient_RefusedNamingTheField(string field, string reference, bool accepted)
    {
        var order = CdsRequests.MedicationRequest("mr1", "32968", "clopidogrel");
        order.Remove("subject");
        order[field] = new JsonObject { ["reference"] = reference };
        var body = CdsRequests.Body(CdsServiceCatalog.OrderSign, "pat-1", [CdsRequests.MedicationRequest("mr0", "161", "acetaminophen"), order]);

        var (request, message) = CdsHookRequest.Parse(Encoding.UTF8.GetBytes(body.ToJsonString()), CdsServiceCatalog.Find("pgx-prescribing-order-sign")!);

        Assert.Equal(accepted, request is not null);
        if (!accepted)
        {
            Assert.Equal("context.draftOrders holds an order whose subject, patient or for is not Patient/{context.patientId}: another patient, or one that cannot be told (a contained, urn:uuid or identifier-only reference); a call is about one patient", message);
        }
    }

    [Fact]
    public void DraftOrderWithAnIdentifierOnlySubject_RefusedAsUntied()
    {
        var order = CdsRequests.MedicationRequest("mr1", "32968", "clopidogrel");
        order["subject"] = new JsonObject { ["identifier"] = new JsonObject { ["system"] = "urn:mrn", ["value"] = "456" } };
        var body = CdsRequests.Body(CdsServiceCatalog.OrderSign, "pat-1", [order]);

        var (request, message) = CdsHookRequest.Parse(Encoding.UTF8.GetBytes(body.ToJsonString()), CdsServiceCatalog.Find("pgx-prescribing-order-sign")!);

        Assert.Null(request);
        Assert.Equal(DraftOrders.UntiedOrder, message);
    }

    [Theory]
    [InlineData("patientId", "context.patientId is required")]
    [InlineData("draftOrders", "context.draftOrders is required (a FHIR Bundle)")]
    [InlineData("selections", "context.selections is required for order-select")]
    [InlineData("userId", "context.userId is required")]
    public void MissingContextFields_AreNamed(string field, string error)
    {
        var body = CdsRequests.Body(CdsServiceCatalog.OrderSelect, "pat-1", [CdsRequests.MedicationRequest("mr1", "32968", "clopidogrel")]);
        body["context"]!.AsObject().Remove(field);

        var (_, message) = CdsHookRequest.Parse(Encoding.UTF8.GetBytes(body.ToJsonString()), CdsServiceCatalog.Find("pgx-prescribing-order-select")!);

        Assert.Equal(error, message?[..Math.Min(message.Length, error.Length)]);
    }

    [Fact]
    public void NotJson_AndFhirAuthorizationWithoutFhirServer_AreRefused()
    {
        var service = CdsServiceCatalog.Find("pgx-prescribing-order-sign")!;
        Assert.NotNull(CdsHookRequest.Parse("{not json"u8, service).Error);
        var body = CdsRequests.Body(CdsServiceCatalog.OrderSign, "pat-1", []);
        body["fhirAuthorization"] = new JsonObject { ["access_token"] = "t", ["token_type"] = "Bearer" };
        Assert.Equal("fhirAuthorization is sent only with fhirServer", CdsHookRequest.Parse(Encoding.UTF8.GetBytes(body.ToJsonString()), service).Error);
    }

    [Fact]
    public void Discovery_OneServicePerHook_WithPrefetchAndUsage()
    {
        Assert.Equal(
            ["genetic-test-governance-order-select", "genetic-test-governance-order-sign", "pgx-prescribing-order-select", "pgx-prescribing-order-sign"],
            CdsServiceCatalog.Services.Select(s => s.Id).Order(StringComparer.Ordinal));
        foreach (var service in CdsServiceCatalog.Services)
        {
            Assert.EndsWith(service.Hook, service.Id, StringComparison.Ordinal);
            Assert.True(service.Hook is CdsServiceCatalog.OrderSelect or CdsServiceCatalog.OrderSign);
            Assert.All(service.Prefetch.Values, template => Assert.Contains("{{context.patientId}}", template, StringComparison.Ordinal));
            Assert.False(string.IsNullOrWhiteSpace(service.UsageRequirements));
        }
    }

    [Theory]
    [InlineData(CdsCardKind.PgxAvoid)]
    [InlineData(CdsCardKind.PgxPreTest)]
    [InlineData(CdsCardKind.DuplicateDraftOrder)]
    public void CardUuids_AreUuids_CarryTheirKind_AndAreStable(CdsCardKind kind)
    {
        var uuid = CdsCardIds.For(kind, "hook-instance", "MedicationRequest/1");

        Assert.True(Guid.TryParse(uuid, out _));
        Assert.Equal(kind, CdsCardIds.KindOf(uuid));
        Assert.Equal(uuid, CdsCardIds.For(kind, "hook-instance", "MedicationRequest/1"));
        Assert.Equal(CdsCardKind.Unknown, CdsCardIds.KindOf(Guid.NewGuid().ToString()));
    }

    [Fact]
    public void Feedback_IsReadWithoutTheUsersComment_AndCountedByKind()
    {
        var card = CdsCardIds.For(CdsCardKind.PgxAvoid, "x");
        var body = new JsonObject
        {
            ["feedback"] = new JsonArray(
                new JsonObject { ["card"] = card, ["outcome"] = "accepted", ["acceptedSuggestions"] = new JsonArray(new JsonObject { ["id"] = Guid.NewGuid().ToString() }), ["outcomeTimestamp"] = "2026-12-06T10:00:00Z" },
                new JsonObject
                {
                    ["card"] = card, ["outcome"] = "overridden", ["outcomeTimestamp"] = "2026-12-06T10:01:00Z",
                    ["overrideReason"] = new JsonObject { ["reason"] = new JsonObject { ["code"] = "will-monitor", ["system"] = "x" }, ["userComment"] = "Mrs Smith tolerated it" },
                }),
        };

        var (records, error) = CdsFeedbackReader.Read(Encoding.UTF8.GetBytes(body.ToJsonString()), "pgx-prescribing-order-sign");

        Assert.Null(error);
        Assert.Equal(2, records!.Count);
        Assert.All(records, r => Assert.Equal("pgx-avoid", r.Kind));
        Assert.Equal("will-monitor", records[1].OverrideReason);
        Assert.DoesNotContain("Smith", System.Text.Json.JsonSerializer.Serialize(records), StringComparison.Ordinal);
        var counts = InMemoryCdsFeedbackStore.Count(records);
        Assert.Equal(2, counts.Count);
        Assert.Equal("Feedback.outcome must be accepted or overridden".ToLowerInvariant(), CdsFeedbackReader.Read("""{"feedback":[{"card":"00000000-0000-0000-0000-000000000000","outcome":"maybe","outcomeTimestamp":"2026-01-01T00:00:00Z"}]}"""u8, "s").Error?.ToLowerInvariant());
    }

    [Theory]
    [InlineData("4e0a3a1e-3283-4575-ab82-028d55fe2719", "unknown")] // the spec's example card: a version 4 UUID, none of ours
    [InlineData("00000000-0000-8000-8000-000000000003", "pgx-info")]
    [InlineData("00000000-0000-8000-8000-0000000000ff", "unknown")] // our UUID version, a kind that does not exist
    public void Feedback_OnACardUuidThisServiceNeverGave_CountedAsUnknown_NotAsAKindItGives(string card, string kind)
    {
        var (records, error) = CdsFeedbackReader.Read(
            Encoding.UTF8.GetBytes($$"""{"feedback":[{"card":"{{card}}","outcome":"overridden","outcomeTimestamp":"2020-12-11T00:00:00Z"}]}"""), "pgx-prescribing-order-sign");

        Assert.Null(error);
        Assert.Equal(kind, Assert.Single(records!).Kind);
    }
}
