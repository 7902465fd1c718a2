using System.Text.Json.Nodes;

namespace PrecisionMed.Core.Cds;

/// <summary>
/// The draft orders of order-select and order-sign: <c>context.draftOrders</c>, a FHIR Bundle of the orders being
/// written (MedicationRequest, ServiceRequest, ... with <c>status: draft</c>), and for order-select the
/// <c>selections</c> (<c>MedicationRequest/id</c>), the orders just selected: only those are looked at then, as the
/// spec asks (the others were answered when they were selected).
/// </summary>
public sealed record DraftOrders(IReadOnlyList<JsonObject> Resources, IReadOnlyList<string> Selections)
{
    /// <summary>
    /// The most draft orders (and selections) one call may carry: each order may cost a knowledge or FHIR read, and a
    /// clinician's order session holds tens. A call past it is refused (400) before any is read.
    /// </summary>
    public const int MaxOrders = 200;

    /// <summary>The orders to answer for: the selected ones (order-select), else all of them.</summary>
    public IEnumerable<JsonObject> ToAnswer(string resourceType) =>
        Resources.Where(r => CdsHookRequest.Text(r["resourceType"]) == resourceType
            && (Selections.Count == 0 || Selections.Contains($"{resourceType}/{CdsHookRequest.Text(r["id"])}", StringComparer.Ordinal)));

    /// <summary>Every draft resource of a type (the selected and the others), to compare drafts with each other.</summary>
    public IEnumerable<JsonObject> All(string resourceType) => Resources.Where(r => CdsHookRequest.Text(r["resourceType"]) == resourceType);

    internal static (DraftOrders? Orders, string? Error) Read(JsonObject context, string patientId, bool selections)
    {
        if (context["draftOrders"] is not JsonObject bundle || CdsHookRequest.Text(bundle["resourceType"]) != "Bundle")
            return (null, "context.draftOrders is required (a FHIR Bundle)");
        var entries = bundle["entry"] as JsonArray ?? [];
        if (entries.Count > MaxOrders) return (null, $"context.draftOrders holds at most {MaxOrders} entries a call");
        var resources = new List<JsonObject>();
        foreach (var entry in entries)
        {
            if (CdsHookRequest.Member(entry, "resource") is not JsonObject resource || CdsHookRequest.Text(resource["resourceType"]) is null)
                return (null, "every context.draftOrders entry needs a resource with a resourceType");
            // An order naming another patient makes the call's patient uncertain: nothing is answered, rather than cards
            // of context.patientId's results on another patient's order (subject; patient in NutritionOrder and DSTU2).
            if (PatientReferences.NamesAnother(resource["subject"], patientId) || PatientReferences.NamesAnother(resource["patient"], patientId))
                return (null, "context.draftOrders holds an order for another patient than context.patientId (its subject or patient); a call is about one patient");
            resources.Add(resource);
        }

        var selected = new List<string>();
        if (selections)
        {
            if (context["selections"] is not JsonArray list) return (null, "context.selections is required for order-select (an array of Type/id)");
            if (list.Count > MaxOrders) return (null, $"context.selections holds at most {MaxOrders} references a call");
            foreach (var item in list)
            {
                if (CdsHookRequest.Text(item) is not { } reference || reference.Split('/') is not [{ Length: > 0 }, { Length: > 0 }])
                    return (null, "context.selections holds relative references (Type/id)");
                selected.Add(reference);
            }
        }

        return (new DraftOrders(resources, selected), null);
    }
}
