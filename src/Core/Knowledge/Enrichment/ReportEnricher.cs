using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Knowledge.Enrichment;

/// <summary>
/// Interprets a canonical <see cref="LabReport"/> against the knowledge store (docs/design.md, "Data flow"): genes become
/// approved HGNC symbols and ids; variants the store knows get a DiagnosticImplication with ClinVar's significance;
/// a VCF's pharmacogene genotypes are called as star alleles (<see cref="PharmacogeneCalls"/>); reported diplotypes and HLA
/// results get their CPIC phenotype and one TherapeuticImplication per CPIC or DPWG recommendation they reach (a multi-gene
/// guideline on all its genes at once); lab-local codes gain LOINC.
/// What the lab reported is never overwritten: the store's interpretations are added beside the lab's, and a
/// disagreement is written in the store's implication's note. The version is read once per report and recorded.
/// Anything the store cannot interpret is listed in <see cref="LabReport.Skipped"/> with where and why.
/// </summary>
public sealed partial class ReportEnricher(KnowledgeLookup knowledge)
{
    private readonly PharmacogeneCalls _pharmacogenes = new(knowledge);
    // A few hundred results sets: each holds its reached recommendations' conclusions (tens of KB).
    private readonly PgxInterpretationCache _interpretations = new(Math.Min(knowledge.CacheCapacity, 512));

    /// <summary>An enricher over the embedded seed with default cache settings: for tools and tests without DI.</summary>
    public static ReportEnricher WithEmbeddedSeed() =>
        new(new KnowledgeLookup(EmbeddedKnowledgeSeed.Instance, Microsoft.Extensions.Options.Options.Create(new KnowledgeOptions()), TimeProvider.System));

    public async Task<LabReport> EnrichAsync(LabReport report, string labId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        // A VCF's genotypes at pharmacogene positions become diplotypes first: they are then interpreted as any reported one.
        report = await _pharmacogenes.CallAsync(report, cancellationToken);
        var version = await knowledge.VersionAsync(cancellationToken);
        var run = new EnrichmentRun(version);

        // The lab profile's genome build stands in when the report states none (a VCF without ##reference, say).
        if (report.GenomeBuild is null && await knowledge.FindLabProfileAsync(labId, cancellationToken) is { GenomeBuild: { } build })
            run.DefaultBuild = new CodedValue([], build);

        var variants = new List<VariantFinding>(report.Variants.Count);
        foreach (var variant in report.Variants) variants.Add(await NormaliseVariantGenesAsync(run, variant, cancellationToken));
        var haplotypes = new List<HaplotypeFinding>(report.Haplotypes.Count);
        foreach (var haplotype in report.Haplotypes)
        {
            haplotypes.Add(haplotype.Gene is null ? haplotype
                : haplotype with { Gene = await NormaliseGeneAsync(run, haplotype.Gene, $"haplotype {haplotype.Key}", cancellationToken) });
        }

        var genotypes = new List<GenotypeFinding>(report.Genotypes.Count);
        foreach (var genotype in report.Genotypes)
            genotypes.Add(genotype with { Genes = await NormaliseGenesAsync(run, genotype.Genes, $"genotype {genotype.Key}", cancellationToken) });
        var genesStudied = await NormaliseGenesAsync(run, report.GenesStudied, "report", cancellationToken);

        var diagnostic = new List<DiagnosticImplicationFinding>(report.DiagnosticImplications);
        foreach (var variant in variants) await InterpretVariantAsync(run, report, variant, diagnostic, cancellationToken);

        var therapeutic = new List<TherapeuticImplicationFinding>(report.TherapeuticImplications);
        await InterpretPharmacogenomicsAsync(run, genotypes, report.TherapeuticImplications, therapeutic, cancellationToken);

        return report with
        {
            TestCode = await NormaliseLabCodeAsync(labId, report.TestCode, cancellationToken),
            LabResults = await NormaliseLabResultsAsync(labId, report.LabResults, cancellationToken),
            GenesStudied = genesStudied,
            Variants = variants,
            Haplotypes = haplotypes,
            Genotypes = genotypes,
            DiagnosticImplications = diagnostic,
            TherapeuticImplications = therapeutic,
            KnowledgeVersion = version,
            Skipped = [.. report.Skipped, .. run.Problems],
        };
    }

    /// <summary>The LOINC code each of the lab's local codes maps to, for those its code map has (one cached point read per code).</summary>
    public async Task<IReadOnlyDictionary<string, string>> LabCodesAsync(string labId, IEnumerable<string> localCodes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(localCodes);
        var mapped = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var code in localCodes)
        {
            if (await knowledge.FindLabCodeAsync(labId, code, cancellationToken) is { } document) mapped[code] = document.Loinc;
        }

        return mapped;
    }

    /// <summary>
    /// The system the lab's profile gives its patient numbers, as the profile states it (a cached point read); the
    /// HL7 v2 mapper decides whether it can be used.
    /// </summary>
    public async Task<string?> LabPatientIdentifierSystemAsync(string labId, CancellationToken cancellationToken) =>
        (await knowledge.FindLabProfileAsync(labId, cancellationToken))?.PatientIdentifierSystem;

    /// <summary>A lab-local code (OBR-4, a general OBX-3) gains the LOINC code the lab's code map gives it; a LOINC-coded value is left alone.</summary>
    private async Task<CodedValue?> NormaliseLabCodeAsync(string labId, CodedValue? code, CancellationToken cancellationToken)
    {
        if (code is null || code.Codings.Any(c => c.System == Coding.Loinc)) return code;
        foreach (var coding in code.Codings)
        {
            if (coding.Code is not { Length: > 0 } local) continue;
            if (await knowledge.FindLabCodeAsync(labId, local, cancellationToken) is { } mapped)
                return code with { Codings = [.. code.Codings, Coding.LoincCode(mapped.Loinc, mapped.Display)] };
        }

        return code;
    }

    private async Task<IReadOnlyList<LabResult>> NormaliseLabResultsAsync(string labId, IReadOnlyList<LabResult> results, CancellationToken cancellationToken)
    {
        if (results.Count == 0) return results;
        var normalised = new List<LabResult>(results.Count);
        foreach (var result in results)
        {
            var code = await NormaliseLabCodeAsync(labId, result.Code, cancellationToken);
            normalised.Add(ReferenceEquals(code, result.Code) ? result : result with { Code = code! });
        }

        return normalised;
    }

    /// <summary>What one enrichment accumulates: the version it uses, its problems, genes already resolved.</summary>
    private sealed class EnrichmentRun(string version)
    {
        public string Version { get; } = version;

        public List<LabFileProblem> Problems { get; } = [];

        public Dictionary<string, CodedValue> Genes { get; } = new(StringComparer.Ordinal);

        public CodedValue? DefaultBuild { get; set; }

        public void Problem(string path, string field, string reason) =>
            Problems.Add(new LabFileProblem(new SourcePosition { Path = path, Field = field }, reason));
    }
}
