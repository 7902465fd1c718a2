using System.Globalization;
using System.Text.Json.Nodes;

namespace PrecisionMed.Core.Genomics.Index;

/// <summary>Reading the Genomics Reporting IG's Observations as JSON: profiles, components by LOINC (or IG) code, codings as <c>system|code</c>.</summary>
internal static class FhirFindings
{
    /// <summary>A string value, or null for anything else (a missing element, a number, an object): lab resources may be any shape.</summary>
    public static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>The named element of an object, or null when the node is missing or not an object.</summary>
    public static JsonNode? At(JsonNode? node, string name) => node is JsonObject o ? o[name] : null;

    /// <summary><c>Type/id</c> of a resource, or null when its id is not a string.</summary>
    public static string? Reference(JsonObject resource) =>
        Text(resource["resourceType"]) is { } type && Text(resource["id"]) is { } id ? $"{type}/{id}" : null;

    private const string ProfileBase = "http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/";

    /// <summary>The IG profile's name (<c>variant</c>, <c>genotype</c>, ...) of the first profile the resource claims; empty for none.</summary>
    public static string Profile(JsonObject resource)
    {
        var profile = Text((At(resource["meta"], "profile") as JsonArray)?.FirstOrDefault());
        return profile is not null && profile.StartsWith(ProfileBase, StringComparison.Ordinal) ? profile[ProfileBase.Length..] : string.Empty;
    }

    /// <summary>The components whose code has a coding with this code (any system).</summary>
    public static IEnumerable<JsonObject> Components(JsonObject observation, string code)
    {
        foreach (var component in observation["component"] as JsonArray ?? [])
        {
            if (component is JsonObject c && Codings(c["code"]).Any(coding => Text(coding["code"]) == code)) yield return c;
        }
    }

    public static IEnumerable<JsonObject> Codings(JsonNode? concept) => (At(concept, "coding") as JsonArray ?? []).OfType<JsonObject>();

    /// <summary><c>system|code</c> of every coding of the concept.</summary>
    public static IEnumerable<string> SystemCodes(JsonNode? concept) =>
        Codings(concept).Select(c => (Text(c["system"]), Text(c["code"]))).Where(c => c.Item2 is not null).Select(c => $"{c.Item1}|{c.Item2}");

    /// <summary>The first code of the first component with this code.</summary>
    public static string? Code(JsonObject observation, string componentCode) =>
        Components(observation, componentCode).SelectMany(c => Codings(c["valueCodeableConcept"])).Select(c => Text(c["code"])).FirstOrDefault(c => c is not null);

    public static string? String(JsonObject observation, string componentCode) =>
        Components(observation, componentCode).Select(c => Text(c["valueString"])).FirstOrDefault(s => s is not null);

    /// <summary>The low and high of the first component with this code's valueRange.</summary>
    public static (long? Low, long? High) Range(JsonObject observation, string componentCode)
    {
        var range = Components(observation, componentCode).Select(c => c["valueRange"]).FirstOrDefault(r => r is not null);
        return (Number(At(At(range, "low"), "value")), Number(At(At(range, "high"), "value")));
    }

    public static decimal? Quantity(JsonObject observation, string componentCode) =>
        Components(observation, componentCode).Select(c => At(c["valueQuantity"], "value")).Where(v => v is not null)
            .Select(v => decimal.TryParse(v!.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : (decimal?)null).FirstOrDefault();

    /// <summary>The genes the components name (Gene studied, 48018-6): HGNC id and symbol.</summary>
    public static IReadOnlyList<IndexedGene> Genes(JsonObject observation) =>
        [.. Components(observation, "48018-6").Select(c => c["valueCodeableConcept"]).Select(concept =>
        {
            var coding = Codings(concept).FirstOrDefault();
            return new IndexedGene(Text(coding?["code"]), Text(coding?["display"]) ?? Text(At(concept, "text")));
        }).Where(g => g.HgncId is not null || g.Symbol is not null).Distinct()];

    /// <summary><c>Type/id</c> of every reference in a list (<c>derivedFrom</c>, <c>specimen</c>, ...).</summary>
    public static IReadOnlyList<string> References(JsonNode? list) =>
        [.. (list as JsonArray ?? (list is null ? [] : new JsonArray(list.DeepClone()))).Select(r => Text(At(r, "reference"))).OfType<string>()];

    private static long? Number(JsonNode? value) =>
        value is not null && long.TryParse(value.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
}
