using System.Text;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Knowledge.Enrichment;

/// <summary>
/// A reached recommendation as a TherapeuticImplication: the drug (RxNorm ingredient from CPIC's drug table, its
/// PharmGKB id kept), each gene's phenotype or HLA result, the recommendation with its classification as the evidence
/// level, the guideline's page as the citation, and the medication-usage suggestion (a Task) when it changes prescribing.
/// </summary>
internal static class PgxImplications
{
    public static CodedValue Medication(GuidelineDrug drug, DrugTableDocument? table)
    {
        var codes = table?.Drugs.FirstOrDefault(d => d.PharmGkbId == drug.PharmGkbId);
        var codings = new List<Coding>();
        if (codes?.RxNorm is { Length: > 0 } rxnorm) codings.Add(new Coding(Coding.RxNorm, rxnorm, drug.Name));
        codings.Add(new Coding(KnowledgeCodes.PharmGkbSystem, drug.PharmGkbId, drug.Name));
        return new CodedValue(codings, drug.Name);
    }

    public static TherapeuticImplicationFinding Build(GuidelineMatch match, IReadOnlyList<PgxResult> genes, CodedValue medication, string version, string? note)
    {
        var guideline = match.Guideline;
        var recommendation = match.Recommendation;
        var keys = genes.Select(g => g.GenotypeKey).Distinct(StringComparer.Ordinal).ToList();
        var results = string.Join("; ", genes.Select(g => g.Describe()));
        var conclusion = new StringBuilder();
        if (recommendation is null)
        {
            conclusion.Append(results).Append(", ").Append(match.Drug.Name).Append(": ").Append(guideline.Source).Append(' ').Append(guideline.Name)
                .Append(" keys no recommendation to genotype or phenotype; dose as the guideline describes.");
            return new TherapeuticImplicationFinding(
                $"{string.Join('+', keys)}:{guideline.Source}:{guideline.Id}:{match.Drug.PharmGkbId}",
                keys,
                medication,
                [.. genes.Select(Value)],
                Conclusion: conclusion.Append(Version(version)).ToString(),
                GuidelineUrl: guideline.Url,
                Note: note);
        }

        var text = match.Text(recommendation.Text) ?? string.Empty;
        conclusion.Append(results).Append(", ").Append(match.Drug.Name).Append(" (").Append(guideline.Source);
        if (recommendation.Population is { Length: > 0 } population && !population.Equals("general", StringComparison.OrdinalIgnoreCase))
            conclusion.Append(", population ").Append(population);
        conclusion.Append("): ").Append(text.Replace('\n', ' '));
        var implied = recommendation.Implications.Select(match.Text).OfType<string>().ToList();
        if (implied.Count > 0) conclusion.Append(" Implications: ").Append(string.Join("; ", implied).TrimEnd('.')).Append('.');
        if (Classified(recommendation.Classification) is { } classification) conclusion.Append(' ').Append(guideline.Source).Append(" classification: ").Append(classification).Append('.');
        conclusion.Append(' ').Append(guideline.Name).Append('.').Append(Version(version));

        return new TherapeuticImplicationFinding(
            $"{string.Join('+', keys)}:{guideline.Source}:{recommendation.Id}",
            keys,
            medication,
            [.. genes.Select(g => Value(g, recommendation))],
            KnowledgeCodes.Suggestion(recommendation.ChangesPrescribing, text),
            conclusion.ToString(),
            guideline.Url,
            Classified(recommendation.Classification) is { } level ? new CodedValue([], $"{guideline.Source} {level}") : null,
            note);
    }

    private static string Version(string version) => $" PrecisionMed knowledge store version {version}.";

    /// <summary>A classification that grades something (not DPWG's "N/A", not absent).</summary>
    private static string? Classified(string? classification) =>
        classification is { Length: > 0 } c && !c.Equals("N/A", StringComparison.OrdinalIgnoreCase) ? c : null;

    /// <summary>The gene's phenotype (a LOINC metabolizer answer when it is one), or its HLA result as the key words it.</summary>
    private static CodedValue Value(PgxResult gene, GuidelineRecommendation? recommendation)
    {
        if (gene.Phenotype is { } phenotype) return KnowledgeCodes.PhenotypeValue(phenotype.Phenotype);
        var key = recommendation?.LookupKey.FirstOrDefault(k => k.Gene == gene.Gene)?.Value;
        return new CodedValue([], key is null ? $"{gene.Gene} {gene.Shown}" : $"{gene.Gene}{(key.StartsWith('*') ? string.Empty : " ")}{key}");
    }

    private static CodedValue Value(PgxResult gene) => Value(gene, null);
}
