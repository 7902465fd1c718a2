using System.Text.Json.Nodes;
using PrecisionMed.Core.Knowledge;

namespace PrecisionMed.Core.Cds.Pgx;

/// <summary>A drug of a draft MedicationRequest, as CPIC's drug table knows it.</summary>
internal sealed record OrderedDrug(string OrderReference, DrugCodes Drug);

/// <summary>
/// Which CPIC drugs a draft MedicationRequest orders, by RxNorm ingredient: any RxNorm coding of its
/// <c>medicationCodeableConcept</c>, or of its Medication's code and ingredients; the Medication found contained
/// (<c>#id</c>), among the draft orders, in the prefetch, or read from the FHIR server. An RxNorm code that is not an
/// ingredient (a clinical drug, SCD) is matched only through a Medication's ingredients.
/// </summary>
internal static class OrderedDrugs
{
    public const string RxNormSystem = "http://www.nlm.nih.gov/research/umls/rxnorm";

    public static async Task<List<OrderedDrug>> ReadAsync(
        CdsHookRequest request, JsonObject order, DrugTableDocument table, ICdsFhirReader fhir, CancellationToken cancellationToken)
    {
        var reference = $"MedicationRequest/{CdsHookRequest.Text(order["id"])}";
        var codes = new HashSet<string>(StringComparer.Ordinal);
        AddRxNorm(codes, order["medicationCodeableConcept"]);
        if (CdsHookRequest.Text(order["medicationReference"]?["reference"]) is { } medicationReference)
        {
            var medication = Contained(order, medicationReference) ?? Sent(request, medicationReference)
                ?? await fhir.ReadAsync(request, medicationReference, cancellationToken);
            if (medication is not null)
            {
                AddRxNorm(codes, medication["code"]);
                foreach (var ingredient in medication["ingredient"] as JsonArray ?? []) AddRxNorm(codes, ingredient?["itemCodeableConcept"]);
            }
        }

        return [.. table.Drugs.Where(d => d.RxNorm is { Length: > 0 } rx && codes.Contains(rx)).Select(d => new OrderedDrug(reference, d))];
    }

    private static void AddRxNorm(HashSet<string> codes, JsonNode? concept)
    {
        foreach (var coding in concept?["coding"] as JsonArray ?? [])
        {
            if (CdsHookRequest.Text(coding?["system"]) == RxNormSystem && CdsHookRequest.Text(coding?["code"]) is { } code) codes.Add(code);
        }
    }

    private static JsonObject? Contained(JsonObject order, string reference) =>
        reference.StartsWith('#')
            ? (order["contained"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => CdsHookRequest.Text(c["id"]) == reference[1..])
            : null;

    /// <summary>The resource among the draft orders or anywhere in the prefetch (a resource or a search Bundle's entries).</summary>
    private static JsonObject? Sent(CdsHookRequest request, string reference)
    {
        if (reference.Split('/') is not [var type, var id]) return null;
        bool Is(JsonObject r) => CdsHookRequest.Text(r["resourceType"]) == type && CdsHookRequest.Text(r["id"]) == id;
        return request.Orders.Resources.FirstOrDefault(Is)
            ?? request.Prefetch.Select(p => p.Value).OfType<JsonObject>()
                .SelectMany(p => CdsHookRequest.Text(p["resourceType"]) == "Bundle"
                    ? (p["entry"] as JsonArray ?? []).Select(e => e?["resource"]).OfType<JsonObject>()
                    : [p])
                .FirstOrDefault(Is);
    }
}
