using System.Text.Json.Nodes;

namespace PrecisionMed.Validation.Tests.Hl7v2;

/// <summary>
/// The clinical meaning a set of FHIR bundles carries, read from the FHIR JSON alone (the same way for the
/// pipeline's output and for an IG example bundle): per kind, the values found, each as the set of its
/// codings' codes and displays and its text.
/// </summary>
internal sealed class GenomicMeaning
{
    private const string TherapeuticImplication = "therapeutic-implication";
    private const string DiagnosticImplication = "diagnostic-implication";

    public static readonly string[] Kinds =
        ["genes", "hgvs", "zygosity", "sourceClass", "significance", "genotypes", "haplotypes", "medications", "phase"];

    private readonly Dictionary<string, List<HashSet<string>>> _values = Kinds.ToDictionary(k => k, _ => new List<HashSet<string>>());

    /// <summary>Values of one kind; a medication value is "code|implication" for each term pair.</summary>
    public IReadOnlyList<HashSet<string>> this[string kind] => _values[kind];

    public bool Carries(string kind, string term) => _values[kind].Any(v => v.Contains(term));

    public static GenomicMeaning Of(IEnumerable<JsonObject> bundles)
    {
        var meaning = new GenomicMeaning();
        foreach (var resource in bundles.SelectMany(b => b["entry"]?.AsArray() ?? []).Select(e => e?["resource"]).OfType<JsonObject>())
        {
            meaning.Read(resource);
        }

        return meaning;
    }

    private void Read(JsonObject resource)
    {
        foreach (var contained in resource["contained"]?.AsArray().OfType<JsonObject>() ?? []) Read(contained);
        if ((string?)resource["resourceType"] != "Observation") return;

        var code = Codes(resource["code"]);
        var components = (resource["component"]?.AsArray().OfType<JsonObject>() ?? []).ToList();
        foreach (var component in components)
        {
            var componentCode = Codes(component["code"]);
            var value = Terms(component["valueCodeableConcept"]);
            if (value.Count == 0) continue;
            if (componentCode.Contains("48018-6")) Add("genes", value);
            if (componentCode.Overlaps(["48004-6", "48005-3", "81290-9"])) Add("hgvs", value);
            if (componentCode.Contains("53034-5")) Add("zygosity", value);
            if (componentCode.Contains("48002-0")) Add("sourceClass", value);
            if (componentCode.Contains("53037-8") && code.Contains(DiagnosticImplication)) Add("significance", value);
        }

        var observationValue = Terms(resource["valueCodeableConcept"]);
        if (code.Contains("84413-4")) Add("genotypes", observationValue);
        if (code.Contains("84414-2")) Add("haplotypes", observationValue);
        if (code.Contains("82120-7")) Add("phase", observationValue);

        if (code.Contains(TherapeuticImplication))
        {
            var medications = ValuesOf(components, "51963-7");
            var implications = ValuesOf(components, TherapeuticImplication);
            foreach (var medication in medications)
            {
                foreach (var implication in implications)
                {
                    Add("medications", [.. medication.SelectMany(m => implication.Select(i => m + "|" + i))]);
                }
            }
        }
    }

    private void Add(string kind, HashSet<string> value)
    {
        if (value.Count > 0) _values[kind].Add(value);
    }

    private static List<HashSet<string>> ValuesOf(List<JsonObject> components, string code) =>
        [.. components.Where(c => Codes(c["code"]).Contains(code)).Select(c => Terms(c["valueCodeableConcept"])).Where(t => t.Count > 0)];

    private static HashSet<string> Codes(JsonNode? concept) =>
        [.. (concept?["coding"]?.AsArray().OfType<JsonObject>() ?? []).Select(c => (string?)c["code"]).OfType<string>()];

    /// <summary>Codes, displays and text of a CodeableConcept.</summary>
    private static HashSet<string> Terms(JsonNode? concept)
    {
        var terms = new HashSet<string>(StringComparer.Ordinal);
        if (concept is not JsonObject value) return terms;
        foreach (var coding in value["coding"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            if ((string?)coding["code"] is { Length: > 0 } code) terms.Add(code);
            if ((string?)coding["display"] is { Length: > 0 } display) terms.Add(display);
        }

        if ((string?)value["text"] is { Length: > 0 } text) terms.Add(text);
        return terms;
    }
}
