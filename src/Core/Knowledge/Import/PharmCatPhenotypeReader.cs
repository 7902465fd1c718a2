using System.Runtime.CompilerServices;
using System.Text.Json;

namespace PrecisionMed.Core.Knowledge.Import;

/// <summary>
/// PharmCAT <c>phenotype/GENE.json</c> (CPIC data): a document per named allele (its function) and per diplotype (its
/// phenotype). These are per-gene files of a few hundred KB, parsed as one JSON document.
/// </summary>
public sealed class PharmCatPhenotypeReader : IKnowledgeSourceReader
{
    public async IAsyncEnumerable<KnowledgeDocument> ReadAsync(
        Stream content, ImportDiagnostics diagnostics, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var json = await PharmCatJson.ParseAsync(content, diagnostics, cancellationToken);
        if (json is null) yield break;
        var root = json.RootElement;
        if (PharmCatJson.String(root, "gene") is not { } gene)
        {
            diagnostics.Add(1, "gene", "not a PharmCAT phenotype file: no gene");
            yield break;
        }

        var source = "CPIC via PharmCAT " + (PharmCatJson.String(root, "version") ?? "unknown version");
        if (root.TryGetProperty("namedAlleles", out var alleles) && alleles.ValueKind == JsonValueKind.Array)
        {
            foreach (var allele in alleles.EnumerateArray())
            {
                if (PharmCatJson.String(allele, "name") is { } name && PharmCatJson.String(allele, "functionValue") is { } function)
                    yield return new AlleleFunctionDocument(gene, name, function, PharmCatJson.String(allele, "activityValue"), source);
            }
        }

        if (root.TryGetProperty("diplotypes", out var diplotypes) && diplotypes.ValueKind == JsonValueKind.Array)
        {
            foreach (var diplotype in diplotypes.EnumerateArray())
            {
                var name = PharmCatJson.String(diplotype, "diplotype");
                var phenotype = PharmCatJson.String(diplotype, "generesult") ?? PharmCatJson.String(diplotype, "phenotype");
                if (name is null || phenotype is null)
                {
                    diagnostics.Add(1, "diplotypes", "a diplotype without a name or phenotype was not imported");
                    continue;
                }

                yield return new DiplotypePhenotypeDocument(gene, KnowledgeIds.CanonicalDiplotype(name), phenotype, PharmCatJson.String(diplotype, "activityScore"), source);
            }
        }
    }
}

internal static class PharmCatJson
{
    public static async Task<JsonDocument?> ParseAsync(Stream content, ImportDiagnostics diagnostics, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonDocument.ParseAsync(content, cancellationToken: cancellationToken);
        }
        catch (JsonException ex)
        {
            diagnostics.Add((ex.LineNumber ?? 0) + 1, null, "not valid JSON: " + ex.Message);
            return null;
        }
    }

    public static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;
}
