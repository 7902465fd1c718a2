using System.Runtime.CompilerServices;
using System.Text.Json;

namespace PrecisionMed.Core.Knowledge.Import;

/// <summary>
/// PharmCAT's allele definitions: a <c>GENE_translation.json</c> becomes one <see cref="AlleleDefinitionDocument"/>
/// (the star-allele caller's input: positions, every named allele's alleles there, sub-allele renames), and
/// <c>exemptions.json</c> (an object keyed by gene) one <see cref="AlleleExemptionDocument"/> per gene. The shape tells
/// which file it is. RYR1's, the largest, is 3 MB, parsed as one JSON document.
/// </summary>
public sealed class PharmCatAlleleDefinitionReader : IKnowledgeSourceReader
{
    public async IAsyncEnumerable<KnowledgeDocument> ReadAsync(
        Stream content, ImportDiagnostics diagnostics, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var json = await PharmCatJson.ParseAsync(content, diagnostics, cancellationToken);
        if (json is null) yield break;
        var root = json.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            diagnostics.Add(1, null, "not a PharmCAT allele definition or exemptions file: not a JSON object");
            yield break;
        }

        if (PharmCatJson.String(root, "gene") is null)
        {
            foreach (var exemption in Exemptions(root, diagnostics)) yield return exemption;
            yield break;
        }

        if (Definition(root, diagnostics) is { } definition) yield return definition;
    }

    private static AlleleDefinitionDocument? Definition(JsonElement root, ImportDiagnostics diagnostics)
    {
        var gene = PharmCatJson.String(root, "gene")!;
        if (!root.TryGetProperty("variants", out var variants) || variants.ValueKind != JsonValueKind.Array
            || !root.TryGetProperty("namedAlleles", out var named) || named.ValueKind != JsonValueKind.Array)
        {
            diagnostics.Add(1, "variants", $"{gene}: not a PharmCAT allele definition file: no variants or namedAlleles array");
            return null;
        }

        List<AlleleDefinitionPosition> positions = [.. variants.EnumerateArray().Select(Position)];
        var alleles = new List<NamedAlleleDefinition>();
        foreach (var allele in named.EnumerateArray())
        {
            var name = PharmCatJson.String(allele, "name");
            if (name is null || !allele.TryGetProperty("alleles", out var bases) || bases.GetArrayLength() != positions.Count)
            {
                diagnostics.Add(1, "namedAlleles", $"{gene}: allele {name ?? "(no name)"} was not imported: it needs a name and one allele per position ({positions.Count})");
                continue;
            }

            alleles.Add(new NamedAlleleDefinition(
                name,
                Flag(allele, "reference"),
                [.. bases.EnumerateArray().Select(b => b.ValueKind == JsonValueKind.String ? b.GetString() : null)],
                PharmCatJson.String(allele, "id"),
                Flag(allele, "structuralVariant")));
        }

        if (alleles.Count(a => a.Reference) != 1)
            diagnostics.Add(1, "namedAlleles", $"{gene}: expected exactly one reference allele, found {alleles.Count(a => a.Reference)}");

        var subAlleles = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("suballelesMap", out var map) && map.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in map.EnumerateObject())
            {
                if (entry.Value.ValueKind == JsonValueKind.String) subAlleles[entry.Name] = entry.Value.GetString()!;
            }
        }

        return new AlleleDefinitionDocument(
            gene,
            KnowledgeIds.NormaliseBuild(PharmCatJson.String(root, "genomeBuild") ?? "GRCh38"),
            KnowledgeIds.NormaliseChromosome(PharmCatJson.String(root, "chromosome") ?? string.Empty),
            PharmCatJson.String(root, "refSeqChromosomeId"),
            positions,
            alleles,
            $"{PharmCatJson.String(root, "source") ?? "PharmCAT"} {PharmCatJson.String(root, "version")}".Trim(),
            SubAlleles: subAlleles.Count == 0 ? null : subAlleles);
    }

    private static IEnumerable<AlleleExemptionDocument> Exemptions(JsonElement root, ImportDiagnostics diagnostics)
    {
        foreach (var entry in root.EnumerateObject())
        {
            var value = entry.Value;
            if (value.ValueKind != JsonValueKind.Object)
            {
                diagnostics.Add(1, entry.Name, "not a PharmCAT exemptions entry: not an object");
                continue;
            }

            var gene = PharmCatJson.String(value, "gene") ?? entry.Name;
            var exemption = new AlleleDefinitionExemption(
                Longs(value, "requiredPositions"),
                Loci(value, "ignoredPositions"),
                Loci(value, "extraPositions"),
                Strings(value, "ignoredAlleles"),
                Priorities(value),
                Strings(value, "amp1Alleles"),
                Longs(value, "amp1Positions"));
            yield return new AlleleExemptionDocument(gene, exemption, "PharmCAT exemptions");
        }
    }

    private static AlleleDefinitionPosition Position(JsonElement variant) => new(
        variant.GetProperty("position").GetInt64(),
        PharmCatJson.String(variant, "rsid"),
        PharmCatJson.String(variant, "ref") ?? string.Empty,
        variant.TryGetProperty("alts", out var alts) && alts.ValueKind == JsonValueKind.Array
            ? [.. alts.EnumerateArray().Select(a => a.GetString() ?? string.Empty)]
            : [],
        PharmCatJson.String(variant, "chromosomeHgvsName") is { } hgvs ? hgvs.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : null);

    private static bool Flag(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static List<UnphasedDiplotypePriority> Priorities(JsonElement exemption)
    {
        if (!exemption.TryGetProperty("unphasedDiplotypePriorities", out var list) || list.ValueKind != JsonValueKind.Array) return [];
        return [.. list.EnumerateArray()
            .Where(p => PharmCatJson.String(p, "pick") is not null)
            .Select(p => new UnphasedDiplotypePriority(Strings(p, "list"), PharmCatJson.String(p, "pick")!))];
    }

    private static List<AlleleDefinitionPosition> Loci(JsonElement element, string name) =>
        element.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array ? [.. list.EnumerateArray().Select(Position)] : [];

    private static List<string> Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
            : [];

    private static List<long> Longs(JsonElement element, string name) =>
        element.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.Number).Select(v => v.GetInt64())]
            : [];
}
