using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Knowledge.Enrichment;

public sealed partial class ReportEnricher
{
    /// <summary>
    /// A reported diplotype → its CPIC phenotype → one TherapeuticImplication per drug with the CPIC recommendation,
    /// RxNorm code, classification and guideline (and a MedicationRecommendation Task when the recommendation asks for
    /// a change). A phenotype with no drug guidance still gets one implication stating the phenotype.
    /// </summary>
    private async Task InterpretGenotypeAsync(
        EnrichmentRun run,
        GenotypeFinding genotype,
        IReadOnlyList<TherapeuticImplicationFinding> labImplications,
        List<TherapeuticImplicationFinding> implications,
        CancellationToken cancellationToken)
    {
        if (DiplotypeOf(genotype) is not var (gene, diplotype)) return;
        var phenotype = await knowledge.FindPhenotypeAsync(gene, diplotype, cancellationToken);
        if (phenotype is null)
        {
            run.Problem($"genotype {genotype.Key}", "84413-4",
                $"no CPIC phenotype for {gene} {diplotype} in the knowledge store (version {run.Version}): no knowledge-based therapeutic implication");
            return;
        }

        var phenotypeValue = KnowledgeCodes.PhenotypeValue(phenotype.Phenotype);
        var guidance = await knowledge.FindGuidanceAsync(gene, phenotype.Phenotype, phenotype.ActivityScore, cancellationToken);
        var ownLab = labImplications.Where(i => i.DerivedFromKeys.Contains(genotype.Key)).ToList();
        if (guidance is null || guidance.Drugs.Count == 0)
        {
            implications.Add(new TherapeuticImplicationFinding(
                $"{genotype.Key}:knowledge:{gene}",
                [genotype.Key],
                Medication: null,
                [phenotypeValue],
                Conclusion: $"{gene} {diplotype}: {phenotype.Phenotype} ({phenotype.Source}; PrecisionMed knowledge store version {run.Version}).",
                Note: PhenotypeConflict(ownLab, phenotypeValue, phenotype.Phenotype, medication: null)));
            return;
        }

        foreach (var drug in guidance.Drugs)
        {
            var medication = drug.RxNorm is { Length: > 0 } rxnorm
                ? new CodedValue([new Coding(Coding.RxNorm, rxnorm, drug.Drug)], drug.Drug)
                : new CodedValue([], drug.Drug);
            var details = string.Join("; ", new[] { drug.Classification is { } c ? $"{c} recommendation" : null, drug.Population is { } p and not "general" ? $"population {p}" : null, drug.Implication }.OfType<string>());
            implications.Add(new TherapeuticImplicationFinding(
                $"{genotype.Key}:knowledge:{drug.RxNorm ?? drug.Drug}",
                [genotype.Key],
                medication,
                [phenotypeValue],
                KnowledgeCodes.Suggestion(drug.Recommendation),
                Conclusion: $"{gene} {diplotype} ({phenotype.Phenotype}{(guidance.ActivityScore is { } score ? $", activity score {score}" : string.Empty)}), {drug.Drug}: {drug.Recommendation}."
                    + (details.Length > 0 ? $" {details}." : string.Empty)
                    + $" CPIC; PrecisionMed knowledge store version {run.Version}.",
                GuidelineUrl: drug.GuidelineUrl,
                EvidenceLevel: drug.Classification is { } classification ? new CodedValue([], $"CPIC {classification}") : null,
                Note: PhenotypeConflict(ownLab, phenotypeValue, phenotype.Phenotype, medication)));
        }
    }

    /// <summary>A note when the lab stated a metabolizer phenotype (for this drug, or for no drug) other than the store's.</summary>
    private static string? PhenotypeConflict(
        List<TherapeuticImplicationFinding> lab, CodedValue phenotype, string phenotypeText, CodedValue? medication)
    {
        var ours = KnowledgeCodes.Comparable(phenotype);
        var theirs = lab
            .Where(i => medication is null || i.Medication is null || SameMedication(i.Medication, medication))
            .SelectMany(i => i.Implications)
            .Where(v => v.Codings.Any(c => c.System == Coding.Loinc && c.Code is { } code && KnowledgeCodes.MetabolizerCodes.Contains(code)))
            .ToList();
        if (theirs.Count == 0 || theirs.Any(v => KnowledgeCodes.Comparable(v) == ours)) return null;
        return $"Phenotypes differ: the lab reported '{KnowledgeCodes.Describe(theirs[0])}', CPIC gives '{phenotypeText}' for this diplotype. "
            + "The lab's implication is kept as reported; review before acting.";
    }

    private static bool SameMedication(CodedValue a, CodedValue b) =>
        a.Codings.Any(x => b.Codings.Any(y => x.Code is not null && x.Code == y.Code))
        || string.Equals(KnowledgeCodes.Describe(a), KnowledgeCodes.Describe(b), StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Gene and diplotype from a genotype value: <c>CYP2C19 *2/*17</c>, <c>*2/*17</c> with the genotype's gene, or
    /// <c>CYP2C19*2/CYP2C19*17</c>. Null when the value is not a two-allele diplotype (an HLA GL string, a ClinVar id).
    /// </summary>
    internal static (string Gene, string Diplotype)? DiplotypeOf(GenotypeFinding genotype)
    {
        var texts = genotype.Value.Codings.Select(c => c.Display).Append(genotype.Value.Text).Concat(genotype.Value.Codings.Select(c => c.Code));
        foreach (var text in texts.OfType<string>().Select(t => t.Trim().Trim('"')))
        {
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || text.IndexOf('/', slash + 1) >= 0) continue;
            string? gene = null;
            var body = text;
            var space = text.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && space < slash)
            {
                gene = text[..space];
                body = text[(space + 1)..];
            }

            gene ??= SymbolOf((genotype.Genes.Count > 0 ? genotype.Genes[0] : null));
            if (string.IsNullOrWhiteSpace(gene)) continue;
            var alleles = body.Split('/', StringSplitOptions.TrimEntries);
            for (var i = 0; i < alleles.Length; i++)
            {
                if (alleles[i].StartsWith(gene, StringComparison.OrdinalIgnoreCase)) alleles[i] = alleles[i][gene.Length..].Trim();
            }

            if (alleles.Any(a => a.Length == 0 || a.Contains(' ', StringComparison.Ordinal) && !a.StartsWith("rs", StringComparison.Ordinal))) continue;
            return (gene.ToUpperInvariant(), KnowledgeIds.CanonicalDiplotype(string.Join('/', alleles)));
        }

        return null;
    }
}
