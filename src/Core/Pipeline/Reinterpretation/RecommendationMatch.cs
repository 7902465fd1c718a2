using System.Text.RegularExpressions;
using PrecisionMed.Core.Genomics.Index;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Diff;
using PrecisionMed.Core.Knowledge.Enrichment;

namespace PrecisionMed.Core.Pipeline.Reinterpretation;

/// <summary>
/// Whether one of our TherapeuticImplications was derived from the guideline recommendation a knowledge change is about.
/// Two steps: <see cref="MayBear"/> from the genomic index alone (ours, the drug's PharmGKB code, each gene's phenotype
/// when the lookup key is one with a LOINC answer), which finds the candidates without reading FHIR; then
/// <see cref="Bears"/> on the implication's conclusion, which states what it was derived from as enrichment wrote it
/// (src/Core/Knowledge/Enrichment/PgxImplications.cs: <c>CYP2C19 *2/*2 (Poor Metabolizer), clopidogrel (CPIC): TEXT</c>):
/// the drug, the guideline's source and population, the recommendation's text, and each gene's result, matched against
/// the change's lookup key as enrichment matches it (<see cref="GuidelineMatcher"/>). Recommendations share wordings across
/// lookup keys, so the text alone would also amend the patients of a neighbouring key.
/// </summary>
public static partial class RecommendationMatch
{
    /// <summary>The candidates: a store therapeutic implication assessing the change's drug, with the change's phenotypes.</summary>
    public static bool MayBear(IndexedImplication implication, KnowledgeChange change)
    {
        ArgumentNullException.ThrowIfNull(implication);
        ArgumentNullException.ThrowIfNull(change);
        if (implication.KnowledgeVersion is null || implication.Profile != "therapeutic-implication" || change.DrugId is null) return false;
        if (!implication.Medications.Contains($"{KnowledgeCodes.PharmGkbSystem}|{change.DrugId}", StringComparer.Ordinal)) return false;
        foreach (var (_, value) in Lookup(change))
        {
            // A phenotype key (CYP2C19 Poor Metabolizer) is coded on the implication; a score or HLA key is checked on the conclusion.
            var codings = KnowledgeCodes.PhenotypeValue(value).Codings;
            var coded = codings.Count > 0 ? codings[0] : null;
            if (coded is { System: { } system, Code: { } code } && !implication.Phenotypes.Contains($"{system}|{code}", StringComparer.Ordinal)) return false;
        }

        return true;
    }

    /// <summary>
    /// Whether the conclusion states the change's recommendation: its old text (or, once amended, <paramref name="amended"/>:
    /// its new text) for the drug, source and population, and results that fit every gene of its lookup key.
    /// </summary>
    public static bool Bears(string? conclusion, KnowledgeChange change, bool amended = false)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (conclusion is null || change.Drug is null) return false;
        var text = amended ? change.NewValue : change.OldValue;
        if (text is null) return false;
        var head = Head(change);
        var at = conclusion.IndexOf(head + Flat(text), StringComparison.Ordinal);
        if (at < 0) return false;
        var results = conclusion[..at].TrimEnd(' ', ',');
        var described = results.Split("; ").Select(Described).OfType<PgxResult>().ToDictionary(r => r.Gene, StringComparer.OrdinalIgnoreCase);
        foreach (var (gene, value) in Lookup(change))
        {
            if (!described.TryGetValue(gene, out var result))
            {
                if (!value.Equals(GuidelineLookupKey.NoResult, StringComparison.OrdinalIgnoreCase)) return false;
                continue;
            }

            if (GuidelineMatcher.GeneFit(value, result) is null) return false;
        }

        return true;
    }

    /// <summary><c>, clopidogrel (CPIC): </c> or <c>, tacrolimus (DPWG, population adults): </c>, as the conclusion words it.</summary>
    internal static string Head(KnowledgeChange change)
    {
        var parts = change.Key.Split('|');
        var source = parts[0];
        var population = parts.Length > 3 && parts[3] is { Length: > 0 } p && p != "-" && !p.Equals("general", StringComparison.OrdinalIgnoreCase) ? $", population {p}" : string.Empty;
        return $", {change.Drug} ({source}{population}): ";
    }

    /// <summary>The source (CPIC or DPWG) of a recommendation change.</summary>
    internal static string Source(KnowledgeChange change) => change.Key.Split('|')[0];

    /// <summary>A recommendation's text as a conclusion carries it (on one line).</summary>
    internal static string Flat(string text) => text.Replace('\n', ' ');

    /// <summary>The change's lookup key, gene by gene: <c>CYP2C19:Poor Metabolizer</c>, <c>HLA-B:*57:01 positive</c>.</summary>
    internal static IEnumerable<(string Gene, string Value)> Lookup(KnowledgeChange change) =>
        (change.Lookup ?? []).Select(k => k.Split(':', 2)).Where(p => p.Length == 2).Select(p => (p[0], p[1]));

    /// <summary>One gene's result as <see cref="PgxResult.Describe"/> wrote it: <c>CYP2C9 *1/*3 (Intermediate Metabolizer, activity score 1.0)</c>, <c>HLA-B *57:01/*08:01</c>.</summary>
    private static PgxResult? Described(string description)
    {
        var match = Description().Match(description.Trim());
        if (!match.Success) return null;
        var gene = match.Groups["gene"].Value;
        var shown = match.Groups["shown"].Value;
        if (match.Groups["phenotype"].Success)
        {
            var score = match.Groups["score"].Success ? match.Groups["score"].Value : null;
            return new PgxResult(gene, gene, shown, new DiplotypePhenotypeDocument(gene, shown, match.Groups["phenotype"].Value, score, "conclusion"), null);
        }

        return HlaAlleles.Parse(shown) is { } alleles ? new PgxResult(gene, gene, shown, null, alleles) : null;
    }

    [GeneratedRegex(@"^(?<gene>\S+) (?<shown>.+?)(?: \((?<phenotype>[^(),]+)(?:, activity score (?<score>[^()]+))?\))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Description();
}
