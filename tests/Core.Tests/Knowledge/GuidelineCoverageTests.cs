using System.Globalization;
using System.Text.Json;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Enrichment;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Tests.Knowledge;

/// <summary>
/// Every recommendation of every guideline package, reached the way a lab report would reach it: for each gene of its
/// lookup key a diplotype taken from that gene's PharmCAT phenotype file (one whose CPIC key, phenotype, score or
/// exact alleles are the key; an HLA result positive or negative for the named allele; no result at all for
/// <c>No Result</c>), enriched against the embedded default, must give an implication citing that recommendation.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class GuidelineCoverageTests(ITestOutputHelper output)
{
    /// <summary>Keys a genotype cannot give: CYP2D6's "xN" (an invalid copy-number input) and DPWG's DPYD keys for a measured enzyme activity.</summary>
    private static bool Underivable(string value) =>
        value == "xN combinations" || value.EndsWith("(Phenotyping)", StringComparison.Ordinal);

    [Fact]
    public async Task Enrich_EveryGuidelineRecommendation_ReachedFromPhenotypeFileDiplotypes()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = await EmbeddedKnowledgeSeed.LoadAsync(ct);
        using var lookup = new KnowledgeLookup(store, Microsoft.Extensions.Options.Options.Create(new KnowledgeOptions { CacheEntries = 100_000 }), TimeProvider.System);
        var enricher = new ReportEnricher(lookup);
        var phenotypes = PhenotypeFiles();
        var index = (GuidelineIndexDocument)(await store.ReadAsync(KnowledgeIds.GuidelineIndex, ct))!;

        var keys = new Dictionary<(string Source, string Gene, string Drug, string Value), bool>();
        var recommendations = new Dictionary<string, (int Total, int Reached)>();
        var missed = new List<string>();
        foreach (var geneSet in index.GeneSets)
        {
            var set = (GuidelineSetDocument)(await store.ReadAsync(KnowledgeIds.GuidelineSet(geneSet.Genes), ct))!;
            foreach (var guideline in set.Guidelines)
            {
                if (guideline.Recommendations.Count == 0)
                {
                    // CPIC's warfarin (a dosing algorithm) and peginterferon packages key nothing: each of their
                    // gene-drug pairs counts as reached when a result for the gene reaches the guideline itself.
                    foreach (var gene in set.Genes)
                    {
                        var diplotypes = Candidates(phenotypes, gene, phenotypes.TryGetValue(gene, out var rows) && rows.Count > 0 ? rows[0].LookupKey ?? rows[0].Phenotype : "-");
                        foreach (var unkeyed in guideline.Drugs)
                        {
                            var reachedGuideline = diplotypes.Count > 0 && (await enricher.EnrichAsync(Report([(gene, diplotypes[0])]), "lab-a", ct)).TherapeuticImplications
                                .Any(i => i.Key.EndsWith($":{guideline.Source}:{guideline.Id}:{unkeyed.PharmGkbId}", StringComparison.Ordinal));
                            keys[(guideline.Source, gene, unkeyed.Name, "(no keyed recommendation)")] = reachedGuideline;
                            if (!reachedGuideline) missed.Add($"{guideline.Source} {unkeyed.Name} {gene}: the guideline keys nothing and the phenotype file gives {gene} no diplotype");
                        }
                    }

                    continue;
                }

                foreach (var recommendation in guideline.Recommendations)
                {
                    var drug = guideline.Drugs.Single(d => d.PharmGkbId == recommendation.DrugId).Name;
                    var reached = !recommendation.LookupKey.Any(k => Underivable(k.Value))
                        && await ReachedAsync(enricher, phenotypes, guideline.Source, recommendation, ct);
                    foreach (var key in recommendation.LookupKey)
                    {
                        var id = (guideline.Source, key.Gene, drug, key.Value);
                        keys[id] = keys.GetValueOrDefault(id) || reached;
                    }

                    var (total, count) = recommendations.GetValueOrDefault(guideline.Source);
                    recommendations[guideline.Source] = (total + 1, count + (reached ? 1 : 0));
                    if (!reached) missed.Add($"{guideline.Source} {drug} {string.Join(", ", recommendation.LookupKey.Select(k => $"{k.Gene}={k.Value}"))} ({recommendation.Id})");
                }
            }
        }

        foreach (var source in new[] { "CPIC", "DPWG" })
        {
            var sourceKeys = keys.Where(k => k.Key.Source == source).ToList();
            var pairs = sourceKeys.GroupBy(k => (k.Key.Gene, k.Key.Drug)).ToList();
            var (total, reached) = recommendations[source];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{source}: gene-drug pairs {pairs.Count(p => p.All(k => k.Value))}/{pairs.Count} with every key reached ({pairs.Count(p => p.Any(k => k.Value))} with at least one), "
                + $"lookup keys {sourceKeys.Count(k => k.Value)}/{sourceKeys.Count} ({sourceKeys.Count(k => !Underivable(k.Key.Value))} a genotype can give), recommendations {reached}/{total}"));
        }

        foreach (var line in missed) output.WriteLine("not reached: " + line);

        // Every key a genotype can give is reached, CPIC's and DPWG's; IFNL3 and CYP4F2 have no diplotypes to give.
        Assert.All(
            keys.Where(k => !k.Value),
            k => Assert.True(Underivable(k.Key.Value) || k.Key.Gene is "IFNL3" or "CYP4F2", $"not reached: {k.Key}"));
    }

    /// <summary>Tries a few diplotypes per gene (DPWG's exact-allele keys outrank its phenotype keys for the alleles they name).</summary>
    private static async Task<bool> ReachedAsync(
        ReportEnricher enricher, Dictionary<string, List<PhenotypeRow>> phenotypes, string source, GuidelineRecommendation recommendation, CancellationToken ct)
    {
        var candidates = recommendation.LookupKey
            .Where(k => k.Value != GuidelineLookupKey.NoResult)
            .Select(k => (k.Gene, Values: Candidates(phenotypes, k.Gene, k.Value)))
            .ToList();
        if (candidates.Any(c => c.Values.Count == 0)) return false;
        var attempts = Math.Min(12, candidates.Max(c => c.Values.Count));
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            var enriched = await enricher.EnrichAsync(Report([.. candidates.Select(c => (c.Gene, c.Values[attempt % c.Values.Count]))]), "lab-a", ct);
            if (enriched.TherapeuticImplications.Any(i => i.Key.EndsWith($":{source}:{recommendation.Id}", StringComparison.Ordinal)
                && i.Medication!.Codings.Any(c => c.Code == recommendation.DrugId))) return true;
        }

        return false;
    }

    private static LabReport Report(IReadOnlyList<(string Gene, string Value)> results) => new()
    {
        Accession = "COV",
        Patient = new PatientDetails([new PatientIdentifier("urn:test", "1")]),
        Genotypes = [.. results.Select((r, i) => new GenotypeFinding($"g{i}", new CodedValue([], r.Value), [new CodedValue([], r.Gene)], []))],
    };

    /// <summary>Genotype texts for a gene's key: from its phenotype file, or an HLA typing.</summary>
    private static List<string> Candidates(Dictionary<string, List<PhenotypeRow>> phenotypes, string gene, string value)
    {
        if (gene.StartsWith("HLA-", StringComparison.Ordinal))
        {
            // *07:02 and *08:01 are named by no guideline.
            var parts = value.Split(' ');
            if (value == "1511 and 1502") return [$"{gene}*15:11/{gene}*15:02"];
            return parts.Length == 2 && parts[1] == "positive" ? [$"{gene}{parts[0]}/{gene}*07:02"]
                : parts.Length == 2 && parts[1] == "negative" ? [$"{gene}*07:02/{gene}*08:01"]
                : [];
        }

        if (!phenotypes.TryGetValue(gene, out var rows)) return [];
        var fits = rows.Where(r => r.LookupKey == value).ToList();
        if (fits.Count == 0) fits = [.. rows.Where(r => r.Phenotype == value)];
        if (fits.Count == 0) fits = [.. rows.Where(r => r.Score is not null && $"{r.Score} ({r.Phenotype})" == value)];
        if (fits.Count == 0) fits = [.. rows.Where(r => KnowledgeIds.CanonicalDiplotype(r.Diplotype) == value)];
        return
        [
            .. fits.Where(r => r.Diplotype.Count(c => c == '/') <= 1)
                .OrderBy(r => r.Diplotype.Contains(' ', StringComparison.Ordinal) ? 1 : 0)
                .ThenBy(r => r.Diplotype.Length)
                .ThenBy(r => r.Diplotype, StringComparer.Ordinal)
                .Select(r => $"{gene} {r.Diplotype}"),
        ];
    }

    private sealed record PhenotypeRow(string Diplotype, string Phenotype, string? Score, string? LookupKey);

    private static Dictionary<string, List<PhenotypeRow>> PhenotypeFiles()
    {
        var files = new Dictionary<string, List<PhenotypeRow>>(StringComparer.Ordinal);
        foreach (var (_, file) in EmbeddedKnowledgeSeed.Files.Where(f => f.Source == Core.Knowledge.Import.KnowledgeSource.PharmCatPhenotype))
        {
            using var json = JsonDocument.Parse(EmbeddedKnowledgeSeed.Open(file));
            var gene = json.RootElement.GetProperty("gene").GetString()!;
            if (!json.RootElement.TryGetProperty("diplotypes", out var rows)) continue;
            files[gene] =
            [
                .. rows.EnumerateArray().Select(r => new PhenotypeRow(
                    r.GetProperty("diplotype").GetString()!,
                    r.GetProperty("generesult").GetString()!,
                    r.TryGetProperty("activityScore", out var score) && score.ValueKind == JsonValueKind.String ? score.GetString() : null,
                    r.TryGetProperty("lookupkey", out var key) && key.ValueKind == JsonValueKind.String ? key.GetString() : null)),
            ];
        }

        return files;
    }
}
