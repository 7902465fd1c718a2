using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Knowledge.Enrichment;

public sealed partial class ReportEnricher
{
    /// <summary>Genes whose result is one allele: mitochondrial MT-RNR1, and X-linked G6PD in males.</summary>
    private static readonly HashSet<string> SingleAlleleGenes = new(["MT-RNR1", "G6PD"], StringComparer.Ordinal);

    /// <summary>
    /// The report's pharmacogenomic results (a diplotype with its CPIC phenotype and activity score; an HLA result)
    /// matched against the CPIC and DPWG recommendations of every guideline naming one of their genes, all of a
    /// guideline's genes at once: one TherapeuticImplication per recommendation reached (CPIC first), and one stating
    /// the phenotype for a gene no recommendation reached. Reads: the gene's phenotype, the guideline index and each
    /// gene set's recommendations and the drug table, each once per process (cached).
    /// </summary>
    private async Task InterpretPharmacogenomicsAsync(
        EnrichmentRun run,
        IReadOnlyList<GenotypeFinding> genotypes,
        IReadOnlyList<TherapeuticImplicationFinding> labImplications,
        List<TherapeuticImplicationFinding> implications,
        CancellationToken cancellationToken)
    {
        var results = new Dictionary<string, PgxResult>(StringComparer.Ordinal);
        foreach (var genotype in genotypes)
        {
            if (await ResultOfAsync(run, genotype, cancellationToken) is not { } result) continue;
            if (!results.TryAdd(result.Gene, result))
                run.Problem($"genotype {genotype.Key}", "84413-4", $"a second {result.Gene} result in the report: only the first ({results[result.Gene].GenotypeKey}) is matched against guidelines");
        }

        if (results.Count == 0) return;

        // The same results under the same version reach the same recommendations; only the notes (where the lab's own
        // implications disagree with ours) are the report's.
        var key = PgxInterpretationCache.KeyOf(run.Version, results.Values);
        if (!_interpretations.TryGet(key, out var reached))
        {
            reached = await ReachAsync(run, results, cancellationToken);
            _interpretations.Set(key, reached);
        }

        // Most reports carry no implication of their own for these results: then there is nothing to compare.
        var ownLab = new Dictionary<string, List<TherapeuticImplicationFinding>>(StringComparer.Ordinal);
        foreach (var result in results.Values)
        {
            if (OwnLab(labImplications, result) is { Count: > 0 } own) ownLab[result.GenotypeKey] = own;
        }

        foreach (var (finding, genes, medication) in reached)
        {
            var note = ownLab.Count == 0 ? string.Empty : string.Join(" ", genes
                .Where(g => g.Phenotype is not null && ownLab.ContainsKey(g.GenotypeKey))
                .Select(g => PhenotypeConflict(ownLab[g.GenotypeKey], KnowledgeCodes.PhenotypeValue(g.Phenotype!.Phenotype), g.Phenotype.Phenotype, medication))
                .OfType<string>());
            implications.Add(note.Length > 0 ? finding with { Note = note } : finding);
        }
    }

    /// <summary>One implication per recommendation reached, then one per phenotyped gene none reached; without notes.</summary>
    private async Task<PgxReached[]> ReachAsync(EnrichmentRun run, Dictionary<string, PgxResult> results, CancellationToken cancellationToken)
    {
        var reached = new List<PgxReached>();
        var matches = await GuidelineMatches.FindAsync(knowledge, results, cancellationToken);
        var drugs = matches.Count > 0 ? await knowledge.FindDrugTableAsync(cancellationToken) : null;
        var reachedGenes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var match in matches)
        {
            var genes = match.Genes(results);
            reachedGenes.UnionWith(genes.Select(g => g.Gene));
            var medication = PgxImplications.Medication(match.Drug, drugs);
            reached.Add(new PgxReached(PgxImplications.Build(match, genes, medication, run.Version, note: null), genes, medication));
        }

        foreach (var result in results.Values.Where(r => r.Phenotype is not null && !reachedGenes.Contains(r.Gene)))
        {
            var phenotype = result.Phenotype!;
            var finding = new TherapeuticImplicationFinding(
                $"{result.GenotypeKey}:knowledge:{result.Gene}",
                [result.GenotypeKey],
                Medication: null,
                [KnowledgeCodes.PhenotypeValue(phenotype.Phenotype)],
                Conclusion: $"{result.Describe()}: {phenotype.Source}; no CPIC or DPWG recommendation is keyed to it. PrecisionMed knowledge store version {run.Version}.");
            reached.Add(new PgxReached(finding, [result], Medication: null));
        }

        return [.. reached];
    }

    private static List<TherapeuticImplicationFinding> OwnLab(IReadOnlyList<TherapeuticImplicationFinding> lab, PgxResult result) =>
        [.. lab.Where(i => i.DerivedFromKeys.Contains(result.GenotypeKey))];

    /// <summary>One genotype as a result to match: an HLA gene's alleles, else its diplotype and the phenotype the store gives it.</summary>
    private async Task<PgxResult?> ResultOfAsync(EnrichmentRun run, GenotypeFinding genotype, CancellationToken cancellationToken)
    {
        var texts = ValueTexts(genotype).ToList();
        var symbol = SymbolOf(genotype.Genes.Count > 0 ? genotype.Genes[0] : null)?.ToUpperInvariant()
            ?? texts.Select(t => t.StartsWith("HLA-", StringComparison.OrdinalIgnoreCase) && t.Length > 5 ? t[..5].ToUpperInvariant() : null).FirstOrDefault(s => s is not null);
        if (symbol is not null && symbol.StartsWith("HLA-", StringComparison.Ordinal))
        {
            var text = texts.FirstOrDefault(t => HlaAlleles.Parse(t) is not null);
            return text is null ? null : new PgxResult(symbol, genotype.Key, text, null, HlaAlleles.Parse(text));
        }

        if (DiplotypeOf(genotype) is not var (gene, diplotype)) return null;
        var phenotype = await knowledge.FindPhenotypeAsync(gene, diplotype, cancellationToken);
        if (phenotype is null)
        {
            run.Problem($"genotype {genotype.Key}", "84413-4", await NoPhenotypeReasonAsync(run, gene, diplotype, cancellationToken));
            return null;
        }

        return new PgxResult(gene, genotype.Key, diplotype, phenotype, null);
    }

    /// <summary>
    /// Why a stated diplotype has no phenotype: an allele name the store's definitions do not know (a typo, a retired or
    /// lab-private name) is named, so the lab can be asked; else the combination itself has no CPIC phenotype.
    /// </summary>
    private async Task<string> NoPhenotypeReasonAsync(EnrichmentRun run, string gene, string diplotype, CancellationToken cancellationToken)
    {
        var unknown = new List<string>();
        foreach (var allele in diplotype.Split('/').Distinct(StringComparer.Ordinal))
        {
            if (await knowledge.FindAlleleFunctionAsync(gene, allele, cancellationToken) is null) unknown.Add(allele);
        }

        return unknown.Count == 0
            ? $"no CPIC phenotype for {gene} {diplotype} in the knowledge store (version {run.Version}): no knowledge-based therapeutic implication"
            : $"{gene} {string.Join(" and ", unknown)} {(unknown.Count == 1 ? "is not an allele" : "are not alleles")} of {gene} in the knowledge store's "
                + $"CPIC/PharmCAT definitions (version {run.Version}): {gene} {diplotype} has no phenotype nor knowledge-based therapeutic implication";
    }

    private static IEnumerable<string> ValueTexts(GenotypeFinding genotype) =>
        genotype.Value.Codings.Select(c => c.Display).Append(genotype.Value.Text).Concat(genotype.Value.Codings.Select(c => c.Code))
            .OfType<string>().Select(t => t.Trim().Trim('"')).Where(t => t.Length > 0);

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
    /// <c>CYP2C19*2/CYP2C19*17</c>; one allele for MT-RNR1 and a male's G6PD. Null when the value is not a diplotype
    /// (an HLA GL string, a ClinVar id). Allele names with spaces (DPYD's <c>c.1905+1G&gt;A (*2A)</c>) need the gene
    /// written before them.
    /// </summary>
    internal static (string Gene, string Diplotype)? DiplotypeOf(GenotypeFinding genotype)
    {
        foreach (var text in ValueTexts(genotype))
        {
            string? gene = null;
            var body = text;
            var space = text.IndexOf(' ', StringComparison.Ordinal);
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            if (space > 0 && (slash < 0 || space < slash))
            {
                gene = text[..space];
                body = text[(space + 1)..];
            }

            var named = gene is not null;
            gene ??= SymbolOf(genotype.Genes.Count > 0 ? genotype.Genes[0] : null);
            if (string.IsNullOrWhiteSpace(gene)) continue;
            var alleles = body.Split('/', StringSplitOptions.TrimEntries);
            if (alleles.Length != (SingleAlleleGenes.Contains(gene.ToUpperInvariant()) && slash < 0 ? 1 : 2)) continue;
            for (var i = 0; i < alleles.Length; i++)
            {
                if (alleles[i].StartsWith(gene, StringComparison.OrdinalIgnoreCase)) alleles[i] = alleles[i][gene.Length..].Trim();
            }

            if (alleles.Any(a => a.Length == 0 || (!named && a.Contains(' ', StringComparison.Ordinal) && !a.StartsWith("rs", StringComparison.Ordinal)))) continue;
            return (gene.ToUpperInvariant(), KnowledgeIds.CanonicalDiplotype(string.Join('/', alleles)));
        }

        return null;
    }
}
