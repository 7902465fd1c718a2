using System.Text.Json.Nodes;
using PrecisionMed.Core.Knowledge;

namespace PrecisionMed.Core.Cds.Pgx;

/// <summary>A drug of a draft MedicationRequest, as CPIC's drug table knows it.</summary>
internal sealed record OrderedDrug(string OrderReference, DrugCodes Drug);

/// <summary>
/// Which CPIC drugs a draft MedicationRequest orders, by RxNorm ingredient: any RxNorm coding of its
/// <c>medicationCodeableConcept</c>, or of its Medication's code and ingredients; the Medication found contained
/// (<c>#id</c>), among the draft orders, in the prefetch, or read from the FHIR server. An RxNorm code that is not an
/// ingredient (a clinical or branded drug, a pack, a brand name) is matched through the ingredients the knowledge
/// store's RxNorm table resolves it to (<see cref="RxNormDrugDocument"/>, imported from RxNorm's RRF files; one cached
/// point read per code), and through a Medication's ingredients. CPIC's drug table states some
/// drugs' RxNorm only in its id (<c>RxNorm:72236</c>), and has no row at all for some guideline drugs (its 2019 table
/// predates the statin and aminoglycoside guidelines): those are recognised by their name, as a whole word of a coding's
/// display or the concept's text.
/// </summary>
internal static class OrderedDrugs
{
    public const string RxNormSystem = "http://www.nlm.nih.gov/research/umls/rxnorm";

    public static async Task<List<OrderedDrug>> ReadAsync(
        CdsHookRequest request, JsonObject order, DrugCatalog catalog, KnowledgeLookup knowledge, ICdsFhirReader fhir, CancellationToken cancellationToken)
    {
        var table = catalog.Table;
        var reference = $"MedicationRequest/{CdsHookRequest.Text(order["id"])}";
        var codes = new HashSet<string>(StringComparer.Ordinal);
        var names = new List<string>();
        AddRxNorm(codes, names, order["medicationCodeableConcept"]);
        if (CdsHookRequest.Text(CdsHookRequest.Member(order["medicationReference"], "reference")) is { } medicationReference)
        {
            // A Medication no one has leaves the order's drug unknown: the 412 case, not an order answered as if it were no CPIC drug.
            var medication = Contained(order, medicationReference) ?? Sent(request, medicationReference)
                ?? await fhir.ReadAsync(request, medicationReference, cancellationToken)
                ?? throw new CdsFetchException(
                    "a Medication a draft order references was neither sent (contained, among the draft orders or in the prefetch) nor found on the FHIR server, so the order's drug is unknown");
            AddRxNorm(codes, names, medication["code"]);
            foreach (var ingredient in medication["ingredient"] as JsonArray ?? []) AddRxNorm(codes, names, CdsHookRequest.Member(ingredient, "itemCodeableConcept"));
        }

        // RXCUIs are numbers: anything else is not looked up (nor allowed to crowd the knowledge cache).
        foreach (var code in codes.Where(c => !catalog.ByRxNorm.ContainsKey(c) && c.Length <= 10 && c.All(char.IsAsciiDigit)).ToList())
        {
            if (await knowledge.FindRxNormDrugAsync(code, cancellationToken) is not { } drug) continue;
            foreach (var ingredient in drug.Ingredients)
            {
                codes.Add(ingredient.RxCui);
                names.Add(ingredient.Name);
            }
        }

        var found = codes.Where(catalog.ByRxNorm.ContainsKey).SelectMany(c => catalog.ByRxNorm[c]).Distinct().Select(d => new OrderedDrug(reference, d)).ToList();
        foreach (var name in catalog.GuidelineDrugs)
        {
            if (found.Any(f => f.Drug.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                || table.Drugs.Any(d => RxNormOf(d) is not null && d.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                || !names.Any(n => NamesDrug(n, name))) continue;
            found.Add(new OrderedDrug(reference, table.Drugs.FirstOrDefault(d => d.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                ?? new DrugCodes($"name:{name}", name, null, null, null, [])));
        }

        return found;
    }

    /// <summary>The drug's RxNorm ingredient: its column, else CPIC's id when that is an RxNorm id.</summary>
    internal static string? RxNormOf(DrugCodes drug) =>
        drug.RxNorm is { Length: > 0 } rx ? rx
        : drug.DrugId.StartsWith("RxNorm:", StringComparison.Ordinal) && drug.DrugId.Length > 7 ? drug.DrugId[7..]
        : null;

    /// <summary>The drug's name as a whole word of the text: <c>fluvastatin 20 MG Oral Capsule</c> names fluvastatin.</summary>
    private static bool NamesDrug(string text, string drug)
    {
        var at = text.IndexOf(drug, StringComparison.OrdinalIgnoreCase);
        return at >= 0
            && (at == 0 || !char.IsLetter(text[at - 1]))
            && (at + drug.Length == text.Length || !char.IsLetter(text[at + drug.Length]));
    }

    private static void AddRxNorm(HashSet<string> codes, List<string> names, JsonNode? concept)
    {
        if (CdsHookRequest.Text(CdsHookRequest.Member(concept, "text")) is { } text) names.Add(text);
        foreach (var coding in CdsHookRequest.Member(concept, "coding") as JsonArray ?? [])
        {
            if (CdsHookRequest.Text(CdsHookRequest.Member(coding, "system")) != RxNormSystem) continue;
            if (CdsHookRequest.Text(CdsHookRequest.Member(coding, "code")) is { } code) codes.Add(code);
            if (CdsHookRequest.Text(CdsHookRequest.Member(coding, "display")) is { } display) names.Add(display);
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
                    ? (p["entry"] as JsonArray ?? []).Select(e => CdsHookRequest.Member(e, "resource")).OfType<JsonObject>()
                    : [p])
                .FirstOrDefault(Is);
    }
}

/// <summary>
/// CPIC's drug table by RxNorm ingredient, and every drug a guideline names: built once per stored drug table and
/// guideline index (a new knowledge version brings new instances), not per call.
/// </summary>
internal sealed class DrugCatalog
{
    private DrugCatalog(DrugTableDocument table, GuidelineIndexDocument index)
    {
        Table = table;
        Index = index;
        ByRxNorm = table.Drugs.Where(d => OrderedDrugs.RxNormOf(d) is not null)
            .GroupBy(d => OrderedDrugs.RxNormOf(d)!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        GuidelineDrugs = index.GeneSets.SelectMany(s => s.Drugs).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    public DrugTableDocument Table { get; }

    public GuidelineIndexDocument Index { get; }

    public IReadOnlyDictionary<string, List<DrugCodes>> ByRxNorm { get; }

    public IReadOnlySet<string> GuidelineDrugs { get; }

    /// <summary>The catalog of these documents: <paramref name="known"/> when it was built from them.</summary>
    public static DrugCatalog For(DrugCatalog? known, DrugTableDocument table, GuidelineIndexDocument index) =>
        known is not null && ReferenceEquals(known.Table, table) && ReferenceEquals(known.Index, index) ? known : new DrugCatalog(table, index);
}
