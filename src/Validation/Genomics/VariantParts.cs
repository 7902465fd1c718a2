using System.Text.Json;
using static PrecisionMed.Validation.Genomics.GenomicConsistencyRule;

namespace PrecisionMed.Validation.Genomics;

/// <summary>The parts of an Observation's components that locate a variant, each with the index of its component.</summary>
internal sealed class VariantParts
{
    private readonly Dictionary<string, int> _indexes = new(StringComparer.Ordinal);

    public int Count => _indexes.Count;
    public decimal? Low { get; private set; }
    public decimal? High { get; private set; }
    public string? CoordinateSystem { get; private set; }
    public string? Ref { get; private set; }
    public string? Alt { get; private set; }
    public string? GenomicReference { get; private set; }
    public string? GenomicHgvs { get; private set; }
    public string? CodingHgvs { get; private set; }
    public string? ProteinHgvs { get; private set; }
    public string? Transcript { get; private set; }
    public string? Chromosome { get; private set; }
    public string? BuildAnswer { get; private set; }
    public List<string> Genes { get; } = [];

    /// <summary>"Observation.component[i]" of the first component with that code.</summary>
    public string Location(string code) => _indexes.TryGetValue(code, out var i) ? $"Observation.component[{i}]" : "Observation.component";

    public static VariantParts Read(JsonElement observation)
    {
        var parts = new VariantParts();
        if (!observation.TryGetProperty("component", out var components) || components.ValueKind != JsonValueKind.Array) return parts;
        var index = 0;
        foreach (var component in components.EnumerateArray())
        {
            if (ComponentCode(component) is { } code && !parts._indexes.ContainsKey(code) && parts.Take(code, component))
                parts._indexes[code] = index;
            index++;
        }

        return parts;
    }

    private bool Take(string code, JsonElement component)
    {
        switch (code)
        {
            case "81254-5":
                if (!component.TryGetProperty("valueRange", out var range)) return false;
                (Low, High) = (Number(range, "low"), Number(range, "high"));
                return true;
            case "92822-6":
                return (CoordinateSystem = FirstCode(component)) is not null;
            case "69547-8":
                return (Ref = StringOf(component, "valueString")) is not null;
            case "69551-0":
                return (Alt = StringOf(component, "valueString")) is not null;
            case "48013-7":
                return (GenomicReference = FirstCode(component)) is not null;
            case "81290-9":
                return (GenomicHgvs = HgvsCode(component)) is not null;
            case "48004-6":
                return (CodingHgvs = HgvsCode(component)) is not null;
            case "48005-3":
                return (ProteinHgvs = HgvsCode(component)) is not null;
            case "51958-7":
                return (Transcript = FirstCode(component)) is not null;
            case "48000-4":
                var (_, chromosome) = Codings(component, "valueCodeableConcept").FirstOrDefault();
                Chromosome = ChromosomeDisplay(component) ?? chromosome;
                return Chromosome is not null;
            case "62374-4":
                return (BuildAnswer = Codings(component, "valueCodeableConcept").Select(c => c.Code)
                    .FirstOrDefault(c => c is RefSeqChromosomeTable.Grch37Answer or RefSeqChromosomeTable.Grch38Answer)) is not null;
            case "48018-6":
                Genes.AddRange(GeneNames(component));
                return false;
            default:
                return false;
        }
    }

    private static string? FirstCode(JsonElement component) => Codings(component, "valueCodeableConcept").Select(c => c.Code).FirstOrDefault(c => c is not null);

    private static string? HgvsCode(JsonElement component) =>
        Codings(component, "valueCodeableConcept").Where(c => c.System == HgvsSystem).Select(c => c.Code).FirstOrDefault(c => c is not null);

    private static decimal? Number(JsonElement range, string end) =>
        range.ValueKind == JsonValueKind.Object && range.TryGetProperty(end, out var quantity) && quantity.ValueKind == JsonValueKind.Object
        && quantity.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number)
            ? number
            : null;

    /// <summary>The answer's display ("Chromosome 7") or the concept's text: the LA codes themselves name no chromosome.</summary>
    private static string? ChromosomeDisplay(JsonElement component)
    {
        if (!component.TryGetProperty("valueCodeableConcept", out var concept) || concept.ValueKind != JsonValueKind.Object) return null;
        if (concept.TryGetProperty("coding", out var codings) && codings.ValueKind == JsonValueKind.Array)
        {
            foreach (var coding in codings.EnumerateArray())
            {
                if (StringOf(coding, "display") is { } display) return display;
            }
        }

        return StringOf(concept, "text");
    }

    /// <summary>Every name a gene studied goes by here: HGNC symbol (display), code, text.</summary>
    private static IEnumerable<string> GeneNames(JsonElement component)
    {
        if (!component.TryGetProperty("valueCodeableConcept", out var concept) || concept.ValueKind != JsonValueKind.Object) yield break;
        if (StringOf(concept, "text") is { } text) yield return text;
        if (!concept.TryGetProperty("coding", out var codings) || codings.ValueKind != JsonValueKind.Array) yield break;
        foreach (var coding in codings.EnumerateArray())
        {
            if (StringOf(coding, "display") is { } display) yield return display;
            if (StringOf(coding, "code") is { } code) yield return code;
        }
    }
}
