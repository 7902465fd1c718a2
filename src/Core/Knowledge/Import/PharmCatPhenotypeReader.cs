using System.Runtime.CompilerServices;
using System.Text.Json;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Knowledge.Import;

/// <summary>
/// PharmCAT <c>phenotype/GENE.json</c> (CPIC data): a document per named allele (its function and activity value) and
/// per diplotype (its phenotype, activity score and the key CPIC's recommendations use for it). A file without
/// <c>namedAlleles</c> (G6PD's) gives its alleles' functions in <c>haplotypes</c>. These are per-gene files of up to
/// 4 MB, parsed as one JSON document.
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
        foreach (var allele in Alleles(root, gene, source)) yield return allele;

        if (root.TryGetProperty("diplotypes", out var diplotypes) && diplotypes.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var diplotype in diplotypes.EnumerateArray())
            {
                index++;
                var name = PharmCatJson.String(diplotype, "diplotype");
                var phenotype = PharmCatJson.String(diplotype, "generesult") ?? PharmCatJson.String(diplotype, "phenotype");
                if (name is null || phenotype is null)
                {
                    diagnostics.Add(1, $"diplotypes[{index}]", "a diplotype without a name or phenotype was not imported");
                    continue;
                }

                yield return new DiplotypePhenotypeDocument(
                    gene, KnowledgeIds.CanonicalDiplotype(name), phenotype, PharmCatJson.String(diplotype, "activityScore"), source,
                    PharmCatJson.String(diplotype, "lookupkey"));
            }
        }
    }

    private static IEnumerable<AlleleFunctionDocument> Alleles(JsonElement root, string gene, string source)
    {
        if (root.TryGetProperty("namedAlleles", out var alleles) && alleles.ValueKind == JsonValueKind.Array)
        {
            foreach (var allele in alleles.EnumerateArray())
            {
                if (PharmCatJson.String(allele, "name") is { } name && PharmCatJson.String(allele, "functionValue") is { } function)
                    yield return new AlleleFunctionDocument(gene, name, function, PharmCatJson.String(allele, "activityValue"), source);
            }

            yield break;
        }

        if (!root.TryGetProperty("haplotypes", out var haplotypes) || haplotypes.ValueKind != JsonValueKind.Object) yield break;
        var activities = root.TryGetProperty("activityValues", out var values) && values.ValueKind == JsonValueKind.Object ? values : default;
        foreach (var haplotype in haplotypes.EnumerateObject())
        {
            if (haplotype.Value.ValueKind != JsonValueKind.String) continue;
            var activity = activities.ValueKind == JsonValueKind.Object ? PharmCatJson.String(activities, haplotype.Name) : null;
            yield return new AlleleFunctionDocument(gene, haplotype.Name, haplotype.Value.GetString()!, activity, source);
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
            diagnostics.Add((ex.LineNumber ?? 0) + 1, null, $"not valid JSON at {JsonErrors.Position(ex)}: {JsonErrors.Reason(ex)}");
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
