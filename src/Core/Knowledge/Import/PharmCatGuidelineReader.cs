using System.Runtime.CompilerServices;
using System.Text.Json;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Knowledge.Import;

/// <summary>
/// PharmCAT's guideline packages (<c>reporter/guidelines/{CPIC,DPWG}_drug_and_GENES.json</c>): per package the
/// guideline (source, PharmGKB id, name, URL, drugs, genes) and its recommendations, each keyed by <c>lookupKey</c> per
/// gene. Packages are grouped by their gene set into <see cref="GuidelineSetDocument"/>s (CPIC's and DPWG's
/// clopidogrel both land in CYP2C19's), plus one <see cref="GuidelineIndexDocument"/> naming every set. A package is
/// parsed at a time; what is kept until the end is the parsed recommendations (2,583 of them), not the files.
/// </summary>
public sealed class PharmCatGuidelineReader : IKnowledgeSetReader
{
    public async IAsyncEnumerable<KnowledgeDocument> ReadAsync(
        IAsyncEnumerable<KnowledgeSetEntry> files, ImportDiagnostics diagnostics, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var sets = new SortedDictionary<string, List<ParsedGuideline>>(StringComparer.Ordinal);
        await foreach (var (name, content) in files.WithCancellation(cancellationToken))
        {
            if (!name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) continue;
            JsonDocument json;
            try
            {
                json = await JsonDocument.ParseAsync(content, cancellationToken: cancellationToken);
            }
            catch (JsonException ex)
            {
                diagnostics.Add(name, (ex.LineNumber ?? 0) + 1, null, $"not valid JSON at {JsonErrors.Position(ex)}: {JsonErrors.Reason(ex)}");
                continue;
            }

            using (json)
            {
                if (Parse(name, json.RootElement, diagnostics) is not { } guideline) continue;
                var key = string.Join('+', guideline.Genes);
                if (!sets.TryGetValue(key, out var list)) sets[key] = list = [];
                list.Add(guideline);
            }
        }

        // No package read, no index: an empty index would stand for a release without guidelines.
        if (sets.Count == 0) yield break;
        foreach (var guidelines in sets.Values) yield return Document(guidelines);
        yield return new GuidelineIndexDocument(
        [
            .. sets.Values.Select(g => new GuidelineGeneSet(
                g[0].Genes,
                [.. g.SelectMany(x => x.Entry.Drugs.Select(d => d.Name)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)])),
        ]);
    }

    /// <summary>One gene set's document: CPIC first, then DPWG; the wordings numbered in the order they are first used.</summary>
    private static GuidelineSetDocument Document(List<ParsedGuideline> guidelines)
    {
        var texts = new List<string>();
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        int Number(string text)
        {
            if (!numbers.TryGetValue(text, out var number))
            {
                numbers[text] = number = texts.Count;
                texts.Add(text);
            }

            return number;
        }

        var entries = new List<GuidelineEntry>();
        foreach (var guideline in guidelines.OrderBy(g => SourceRank(g.Entry.Source)).ThenBy(g => g.Entry.Name, StringComparer.Ordinal).ThenBy(g => g.Entry.Id, StringComparer.Ordinal))
        {
            var recommendations = guideline.Recommendations
                .Select(r => r.Recommendation with { Text = Number(r.Text), Implications = [.. r.Implications.Select(Number)] })
                .ToList();
            entries.Add(guideline.Entry with { Recommendations = recommendations });
        }

        return new GuidelineSetDocument(guidelines[0].Genes, entries, texts);
    }

    /// <summary>CPIC before DPWG before any other source, where both have guidance.</summary>
    public static int SourceRank(string source) => source switch
    {
        "CPIC" => 0,
        "DPWG" => 1,
        _ => 2,
    };

    private static ParsedGuideline? Parse(string file, JsonElement root, ImportDiagnostics diagnostics)
    {
        if (!root.TryGetProperty("guideline", out var guideline) || guideline.ValueKind != JsonValueKind.Object
            || PharmCatJson.String(guideline, "id") is not { } id || PharmCatJson.String(guideline, "source") is not { } source)
        {
            diagnostics.Add(file, 1, "guideline", "not a PharmCAT guideline package: no guideline with an id and source");
            return null;
        }

        var genes = Names(guideline, "relatedGenes", "symbol");
        var drugs = Chemicals(guideline);
        if (genes.Count == 0 || drugs.Count == 0)
        {
            diagnostics.Add(file, 1, "guideline", "the guideline names no gene or no drug");
            return null;
        }

        var recommendations = new List<ParsedRecommendation>();
        if (root.TryGetProperty("recommendations", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var recommendation in list.EnumerateArray())
            {
                index++;
                if (Recommendation(recommendation, genes) is { } parsed) recommendations.AddRange(parsed);
                else diagnostics.Add(file, 1, $"recommendations[{index}]", "a recommendation without an id, drug or lookup key for the guideline's genes was not imported");
            }
        }

        var entry = new GuidelineEntry(
            source, id, PharmCatJson.String(guideline, "name") ?? id, PharmCatJson.String(guideline, "url"), PharmCatJson.String(guideline, "version"), drugs, []);
        return new ParsedGuideline(genes, entry, recommendations);
    }

    /// <summary>One recommendation per drug it names (the packages name one each), keyed by every gene of the guideline.</summary>
    private static IEnumerable<ParsedRecommendation>? Recommendation(JsonElement recommendation, IReadOnlyList<string> genes)
    {
        if (PharmCatJson.String(recommendation, "id") is not { } id
            || !recommendation.TryGetProperty("lookupKey", out var lookup) || lookup.ValueKind != JsonValueKind.Object) return null;
        var keys = new List<GuidelineLookupKey>();
        foreach (var gene in lookup.EnumerateObject()) keys.Add(new GuidelineLookupKey(gene.Name, LookupValue(gene.Value)));
        keys.Sort((a, b) => string.CompareOrdinal(a.Gene, b.Gene));
        if (!keys.Select(k => k.Gene).SequenceEqual(genes, StringComparer.Ordinal)) return null;
        var drugs = recommendation.TryGetProperty("relatedChemicals", out var chemicals) && chemicals.ValueKind == JsonValueKind.Array
            ? chemicals.EnumerateArray().Select(c => PharmCatJson.String(c, "id")).OfType<string>().ToList()
            : [];
        if (drugs.Count == 0) return null;

        var text = recommendation.TryGetProperty("text", out var html) && html.ValueKind == JsonValueKind.Object ? GuidelineText.Plain(PharmCatJson.String(html, "html")) : string.Empty;
        var implications = recommendation.TryGetProperty("implications", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(i => i.ValueKind == JsonValueKind.String ? GuidelineText.Plain(i.GetString()) : string.Empty).Where(i => i.Length > 0).ToList()
            : [];
        var classification = recommendation.TryGetProperty("classification", out var c) && c.ValueKind == JsonValueKind.Object ? PharmCatJson.String(c, "term") : null;
        var change = (Flag(recommendation, "dosingInformation") ? PrescribingChange.Dosing : PrescribingChange.None)
            | (Flag(recommendation, "alternateDrugAvailable") ? PrescribingChange.AlternateDrug : PrescribingChange.None)
            | (Flag(recommendation, "otherPrescribingGuidance") ? PrescribingChange.OtherGuidance : PrescribingChange.None);
        return drugs.Select(drug => new ParsedRecommendation(
            new GuidelineRecommendation(id, drug, keys, 0, classification, [], PharmCatJson.String(recommendation, "population"), change),
            text,
            implications));
    }

    /// <summary>A phenotype, score or HLA result as written; DPWG's allele counts (<c>{"*1": 1, "*3": 1}</c>) as the diplotype they count.</summary>
    private static string LookupValue(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object) return value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : value.GetRawText();
        var alleles = new List<string>();
        foreach (var allele in value.EnumerateObject())
        {
            var count = allele.Value.ValueKind == JsonValueKind.Number ? (int)Math.Round(allele.Value.GetDouble(), MidpointRounding.AwayFromZero) : 1;
            for (var i = 0; i < count; i++) alleles.Add(allele.Name);
        }

        return KnowledgeIds.CanonicalDiplotype(string.Join('/', alleles));
    }

    private static bool Flag(JsonElement element, string name) => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static List<string> Names(JsonElement element, string list, string field) =>
        element.TryGetProperty(list, out var items) && items.ValueKind == JsonValueKind.Array
            ? [.. items.EnumerateArray().Select(i => PharmCatJson.String(i, field)).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]
            : [];

    private static List<GuidelineDrug> Chemicals(JsonElement guideline) =>
        guideline.TryGetProperty("relatedChemicals", out var items) && items.ValueKind == JsonValueKind.Array
            ? [.. items.EnumerateArray()
                .Select(i => (Id: PharmCatJson.String(i, "id"), Name: PharmCatJson.String(i, "name")))
                .Where(i => i.Id is not null && i.Name is not null)
                .Select(i => new GuidelineDrug(i.Name!, i.Id!))
                .OrderBy(d => d.Name, StringComparer.Ordinal)]
            : [];

    private sealed record ParsedGuideline(IReadOnlyList<string> Genes, GuidelineEntry Entry, List<ParsedRecommendation> Recommendations);

    private sealed record ParsedRecommendation(GuidelineRecommendation Recommendation, string Text, IReadOnlyList<string> Implications);
}
