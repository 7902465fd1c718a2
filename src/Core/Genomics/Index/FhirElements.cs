using System.Globalization;
using System.Text.Json;

namespace PrecisionMed.Core.Genomics.Index;

/// <summary>
/// <see cref="FhirFindings"/> over <see cref="JsonElement"/>s: the same reads (profiles, components by code, codings as
/// <c>system|code</c>) of resources parsed once into a <see cref="JsonDocument"/>, with no node per element. A missing
/// element is <c>default</c> (<see cref="JsonValueKind.Undefined"/>); JSON null reads as missing, as it does for nodes.
/// </summary>
internal static class FhirElements
{
    /// <summary>A string value, or null for anything else (a missing element, a number, an object): lab resources may be any shape.</summary>
    public static string? Text(JsonElement element) => element.ValueKind == JsonValueKind.String ? element.GetString() : null;

    /// <summary>The named element of an object, or missing when the element is missing or not an object.</summary>
    public static JsonElement At(JsonElement element, ReadOnlySpan<byte> name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    /// <summary>Whether the element is there (not missing, not JSON null).</summary>
    public static bool Exists(JsonElement element) => element.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);

    /// <summary>The items of an array; none for anything else.</summary>
    public static IEnumerable<JsonElement> Items(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : [];

    /// <summary>The objects among an array's items.</summary>
    public static IEnumerable<JsonElement> Objects(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Array) yield break;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object) yield return item;
        }
    }

    /// <summary><c>Type/id</c> of a resource, or null when its id is not a string.</summary>
    public static string? Reference(JsonElement resource) =>
        Text(At(resource, "resourceType"u8)) is { } type && Text(At(resource, "id"u8)) is { } id ? $"{type}/{id}" : null;

    internal const string ProfileBase = "http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/";

    /// <summary>The IG profile's name (<c>variant</c>, <c>genotype</c>, ...) of the first profile the resource claims; empty for none.</summary>
    public static string Profile(JsonElement resource)
    {
        var profiles = At(At(resource, "meta"u8), "profile"u8);
        return ProfileName(profiles.ValueKind == JsonValueKind.Array && profiles.GetArrayLength() > 0 ? Text(profiles[0]) : null);
    }

    /// <summary>A Genomics Reporting IG profile's name (<c>variant</c>) from its URL; empty for any other profile or none.</summary>
    public static string ProfileName(string? profile) =>
        profile is not null && profile.StartsWith(ProfileBase, StringComparison.Ordinal) ? profile[ProfileBase.Length..] : string.Empty;

    /// <summary>
    /// An Observation's components by the codes of their codings (any system), each in the components' order and once per
    /// code, read in one pass: the index asks a finding for a dozen codes, and a pass per question cost more than the rest.
    /// </summary>
    public static Dictionary<string, List<JsonElement>> ComponentsByCode(JsonElement observation)
    {
        var byCode = new Dictionary<string, List<JsonElement>>(StringComparer.Ordinal);
        var components = At(observation, "component"u8);
        if (components.ValueKind != JsonValueKind.Array) return byCode;
        foreach (var component in components.EnumerateArray())
        {
            var codings = At(At(component, "code"u8), "coding"u8);
            if (codings.ValueKind != JsonValueKind.Array) continue;
            var position = 0;
            foreach (var coding in codings.EnumerateArray())
            {
                if (Text(At(coding, "code"u8)) is { } code && !CodedBefore(codings, position, code))
                {
                    if (!byCode.TryGetValue(code, out var list)) byCode[code] = list = [];
                    list.Add(component);
                }

                position++;
            }
        }

        return byCode;
    }

    /// <summary>Whether one of the first <paramref name="count"/> codings has this code (a component is listed once per code).</summary>
    private static bool CodedBefore(JsonElement codings, int count, string code)
    {
        foreach (var coding in codings.EnumerateArray())
        {
            if (count-- <= 0) return false;
            if (At(coding, "code"u8) is { ValueKind: JsonValueKind.String } value && value.ValueEquals(code)) return true;
        }

        return false;
    }

    public static IEnumerable<JsonElement> Codings(JsonElement concept) => Objects(At(concept, "coding"u8));

    /// <summary><c>system|code</c> of every coding of the concept.</summary>
    public static IEnumerable<string> SystemCodes(JsonElement concept)
    {
        foreach (var coding in Codings(concept))
        {
            if (Text(At(coding, "code"u8)) is { } code) yield return $"{Text(At(coding, "system"u8))}|{code}";
        }
    }

    /// <summary>The first code of the components' codeable concepts.</summary>
    public static string? Code(IReadOnlyList<JsonElement> components)
    {
        foreach (var component in components)
        {
            var codings = At(At(component, "valueCodeableConcept"u8), "coding"u8);
            if (codings.ValueKind != JsonValueKind.Array) continue;
            foreach (var coding in codings.EnumerateArray())
            {
                if (Text(At(coding, "code"u8)) is { } code) return code;
            }
        }

        return null;
    }

    /// <summary>The first of the components' string values.</summary>
    public static string? String(IReadOnlyList<JsonElement> components)
    {
        foreach (var component in components)
        {
            if (Text(At(component, "valueString"u8)) is { } text) return text;
        }

        return null;
    }

    /// <summary>The low and high of the first of the components' valueRange.</summary>
    public static (long? Low, long? High) Range(IReadOnlyList<JsonElement> components)
    {
        var range = components.Select(c => At(c, "valueRange"u8)).FirstOrDefault(Exists);
        return (Number(At(At(range, "low"u8), "value"u8)), Number(At(At(range, "high"u8), "value"u8)));
    }

    /// <summary>The first of the components' valueQuantity values, as a number (null when it is none).</summary>
    public static decimal? Quantity(IReadOnlyList<JsonElement> components) =>
        components.Select(c => At(At(c, "valueQuantity"u8), "value"u8)).Where(Exists)
            .Select(v => decimal.TryParse(v.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : (decimal?)null).FirstOrDefault();

    /// <summary>The genes the components name (Gene studied, 48018-6): HGNC id and symbol.</summary>
    public static IReadOnlyList<IndexedGene> Genes(IReadOnlyList<JsonElement> geneComponents) =>
        [.. geneComponents.Select(c => At(c, "valueCodeableConcept"u8)).Select(concept =>
        {
            var coding = Codings(concept).FirstOrDefault();
            return new IndexedGene(Text(At(coding, "code"u8)), Text(At(coding, "display"u8)) ?? Text(At(concept, "text"u8)));
        }).Where(g => g.HgncId is not null || g.Symbol is not null).Distinct()];

    /// <summary><c>Type/id</c> of every reference in a list (<c>derivedFrom</c>, <c>specimen</c>, ...); a single reference reads as a list of one.</summary>
    public static IReadOnlyList<string> References(JsonElement list) =>
        [.. (list.ValueKind == JsonValueKind.Array ? list.EnumerateArray() : Exists(list) ? [list] : Enumerable.Empty<JsonElement>())
            .Select(r => Text(At(r, "reference"u8))).OfType<string>()];

    private static long? Number(JsonElement value) =>
        Exists(value) && long.TryParse(value.GetRawText(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
}
