using System.Text.Json.Nodes;
using PrecisionMed.Core.Knowledge;

namespace PrecisionMed.Core.Cds.Governance;

/// <summary>
/// A draft ServiceRequest read as a genetic test order: its codes (<c>system|code</c>, a lab's local code also as the
/// LOINC its lab profile maps it to), the genes it names (HGNC codings, or gene symbols in <c>orderDetail</c>), and
/// whether it is somatic or a reanalysis (never flagged as a repeat).
/// </summary>
internal sealed record GeneticTestOrder(string Reference, string Title, IReadOnlySet<string> Codes, IReadOnlySet<string> Genes, bool Somatic, bool Reanalysis, string? Encounter)
{
    /// <summary>LOINC codes of genetic test reports and panels: the Genomics Reporting IG's report and variant panel, PGx panels.</summary>
    private static readonly HashSet<string> GeneticLoinc = new(["51969-4", "81247-9", "51968-6", "57979-7", "94076-7", "55233-1", "55232-3"], StringComparer.Ordinal);
    private const string Loinc = "http://loinc.org";
    private const string Hgnc = "http://www.genenames.org";
    private const string LabSystemPrefix = "urn:precisionmed:lab:";
    private static readonly string[] SomaticWords = ["somatic", "tumor", "tumour", "LA6684-0"];
    private static readonly string[] ReanalysisWords = ["reanalysis", "re-analysis", "reinterpretation", "re-interpretation"];

    /// <summary>The order, or null when it is not a genetic test (no genetic LOINC, lab test code or gene named).</summary>
    public static async Task<GeneticTestOrder?> ReadAsync(JsonObject request, KnowledgeLookup knowledge, CancellationToken cancellationToken)
    {
        var codes = new HashSet<string>(StringComparer.Ordinal);
        var genes = new HashSet<string>(StringComparer.Ordinal);
        var genetic = false;
        var concepts = new List<JsonNode?> { request["code"] };
        concepts.AddRange(request["orderDetail"] as JsonArray ?? []);
        var texts = new List<string>();
        foreach (var concept in concepts)
        {
            if (CdsHookRequest.Text(CdsHookRequest.Member(concept, "text")) is { } text) texts.Add(text);
            foreach (var coding in CdsHookRequest.Member(concept, "coding") as JsonArray ?? [])
            {
                var system = CdsHookRequest.Text(CdsHookRequest.Member(coding, "system"));
                var code = CdsHookRequest.Text(CdsHookRequest.Member(coding, "code"));
                if (CdsHookRequest.Text(CdsHookRequest.Member(coding, "display")) is { } display) texts.Add(display);
                if (code is null) continue;
                if (system == Hgnc)
                {
                    genes.Add((CdsHookRequest.Text(CdsHookRequest.Member(coding, "display")) ?? code).ToUpperInvariant());
                    genetic = true;
                    continue;
                }

                if (concept != request["code"]) { texts.Add(code); continue; }
                codes.Add($"{system}|{code}");
                if (system == Loinc && GeneticLoinc.Contains(code)) genetic = true;
                if (system is { } s && s.StartsWith(LabSystemPrefix, StringComparison.Ordinal)
                    && await knowledge.FindLabCodeAsync(s[LabSystemPrefix.Length..], code, cancellationToken) is { } mapped)
                {
                    codes.Add($"{Loinc}|{mapped.Loinc}");
                    genetic |= GeneticLoinc.Contains(mapped.Loinc);
                }
            }
        }

        if (!genetic) return null;
        var all = string.Join(' ', texts);
        var title = CdsHookRequest.Text(CdsHookRequest.Member(request["code"], "text"))
            ?? (CdsHookRequest.Member(request["code"], "coding") as JsonArray ?? []).Select(c => CdsHookRequest.Text(CdsHookRequest.Member(c, "display"))).FirstOrDefault(d => d is not null)
            ?? "genetic test";
        return new GeneticTestOrder(
            $"ServiceRequest/{CdsHookRequest.Text(request["id"])}",
            title,
            codes,
            genes,
            SomaticWords.Any(w => all.Contains(w, StringComparison.OrdinalIgnoreCase)),
            ReanalysisWords.Any(w => all.Contains(w, StringComparison.OrdinalIgnoreCase)),
            CdsHookRequest.Text(CdsHookRequest.Member(request["encounter"], "reference")));
    }

    /// <summary>
    /// The codes that name this test rather than "a genetic test": a lab's test code, a specific panel. The IG's report
    /// code and the variant panel name every genetic report, so sharing one says nothing about the test.
    /// </summary>
    public IEnumerable<string> SpecificCodes => Codes.Where(c => !Generic.Contains(c));

    private static readonly HashSet<string> Generic = new([$"{Loinc}|51969-4", $"{Loinc}|81247-9"], StringComparer.Ordinal);

    /// <summary>The same test: the same codes and the same genes.</summary>
    public bool SameTestAs(GeneticTestOrder other) => Codes.SetEquals(other.Codes) && Genes.SetEquals(other.Genes);
}
