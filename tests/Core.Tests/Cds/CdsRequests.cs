using System.Text;
using System.Text.Json.Nodes;
using PrecisionMed.Core.Cds;

namespace PrecisionMed.Core.Tests.Cds;

/// <summary>
/// CDS Hooks 2.0.1 requests in the shapes of the spec's order-select and order-sign examples: <c>userId</c>,
/// <c>patientId</c>, <c>encounterId</c>, <c>draftOrders</c> as a Bundle of draft orders, order-select's <c>selections</c>.
/// </summary>
internal static class CdsRequests
{
    public const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";

    /// <summary>A draft order coded by RxNorm ingredient; with no code, by its text alone (<c>fluvastatin 20 MG Oral Capsule</c>).</summary>
    public static JsonObject MedicationRequest(string id, string? rxnorm, string display) => new()
    {
        ["resourceType"] = "MedicationRequest",
        ["id"] = id,
        ["status"] = "draft",
        ["intent"] = "order",
        ["medicationCodeableConcept"] = new JsonObject
        {
            ["coding"] = rxnorm is null ? new JsonArray() : new JsonArray(new JsonObject { ["system"] = RxNorm, ["code"] = rxnorm, ["display"] = display }),
            ["text"] = display,
        },
    };

    public static JsonObject Body(string hook, string patient, IEnumerable<JsonObject> orders, IEnumerable<string>? selections = null, JsonObject? prefetch = null)
    {
        var list = orders.ToList();
        var context = new JsonObject
        {
            ["userId"] = "PractitionerRole/123",
            ["patientId"] = patient,
            ["encounterId"] = "enc-89284",
            ["draftOrders"] = new JsonObject
            {
                ["resourceType"] = "Bundle",
                ["type"] = "collection",
                ["entry"] = new JsonArray([.. list.Select(o => (JsonNode)new JsonObject { ["resource"] = ForThePatient(o, patient) })]),
            },
        };
        if (hook == CdsServiceCatalog.OrderSelect)
            context["selections"] = new JsonArray([.. (selections ?? list.Select(o => $"{o["resourceType"]}/{o["id"]}")).Select(s => (JsonNode)JsonValue.Create(s)!)]);
        var body = new JsonObject
        {
            ["hookInstance"] = Guid.NewGuid().ToString(),
            ["hook"] = hook,
            ["context"] = context,
        };
        if (prefetch is not null) body["prefetch"] = prefetch;
        return body;
    }

    /// <summary>A copy of the order, its subject the call's patient unless it names one itself (as an EHR's draft orders do).</summary>
    private static JsonObject ForThePatient(JsonObject order, string patient)
    {
        var copy = order.DeepClone().AsObject();
        copy["subject"] ??= new JsonObject { ["reference"] = $"Patient/{patient}" };
        return copy;
    }

    public static CdsHookRequest Parse(JsonObject body, string serviceId)
    {
        var (request, error) = CdsHookRequest.Parse(Encoding.UTF8.GetBytes(body.ToJsonString()), CdsServiceCatalog.Find(serviceId)!);
        Assert.True(request is not null, error);
        return request;
    }
}
