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

    private static readonly string[] PatientFields = ["subject", "patient", "for"];

    internal const string UntiedOrder = "context.draftOrders holds an order whose subject, patient or for is not Patient/{context.patientId}: another patient, or one that cannot be told (a contained, urn:uuid or identifier-only reference); a call is about one patient";

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
            // An order that names a patient must name context.patientId: another patient's order, or one whose patient cannot
            // be told (contained, urn:uuid, identifier only, a Group), makes the call's patient uncertain, and nothing is
            // answered rather than cards of context.patientId's results on it (subject; patient in NutritionOrder and
            // DSTU2; for in Task). An order that names none is the call's patient's, as the hooks define draftOrders.
            if (PatientFields.Any(field => resource[field] is { } reference && !PatientReferences.Names(reference, patientId)))
                return (null, UntiedOrder);
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
