using System.Globalization;
using PrecisionMed.Core.Knowledge.Pharmacogenomics;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Knowledge.Enrichment;

/// <summary>
/// A VCF's pharmacogene evidence (<see cref="LabReport.PharmacogeneGenotypes"/>, <see cref="LabReport.LabDiplotypes"/>)
/// to Genotype findings: star alleles called from the sample's genotypes at each gene's defining positions, with the
/// store's allele definitions, then the lab's own diplotypes joined in (for a gene in both, the lab's wins and a
/// differing call is noted). A gene the file has no position of is not called; an ambiguous call is reported as a
/// problem naming every candidate, never guessed. The clinician reads report notes; the ledger the same problems
/// without the genotypes (no results in it), listed up to <see cref="LabReport.MaxListedProblems"/> as the format's.
/// </summary>
internal sealed class PharmacogeneCalls(KnowledgeLookup knowledge)
{
    /// <summary>The report with its evidence called (and then cleared: calling again changes nothing).</summary>
    public async Task<LabReport> CallAsync(LabReport report, CancellationToken cancellationToken)
    {
        if (report.PharmacogeneGenotypes.Count == 0 && report.LabDiplotypes.Count == 0) return report;
        var genotypes = new List<GenotypeFinding>(report.Genotypes);
        var notes = new List<string>();
        var problems = new List<LabFileProblem>();
        foreach (var observed in report.PharmacogeneGenotypes)
        {
            if (observed.Genotypes.Count == 0) continue;
            if (await knowledge.FindAlleleDefinitionsAsync(observed.Gene, cancellationToken) is not { } definitions)
            {
                problems.Add(new LabFileProblem(SourcePosition.None, $"{observed.Gene}: the knowledge store has no allele definitions for it now; it was not called"));
                continue;
            }

            Call(definitions, observed, SexOf(report.Patient), genotypes, notes, problems);
        }

        foreach (var stated in report.LabDiplotypes) Merge(stated, genotypes, notes, problems);

        var skipped = new List<LabFileProblem>(report.Skipped);
        var unlisted = report.UnlistedProblems;
        foreach (var problem in problems)
        {
            if (skipped.Count < LabReport.MaxListedProblems) skipped.Add(problem);
            else unlisted++;
        }

        return report with
        {
            Genotypes = genotypes,
            Notes = [.. report.Notes, .. notes],
            Skipped = skipped,
            UnlistedProblems = unlisted,
            PharmacogeneGenotypes = [],
            LabDiplotypes = [],
        };
    }

    /// <summary>The sex a chrX gene is called for: the patient's stated administrative gender, when male or female.</summary>
    private static SampleSex SexOf(PatientDetails? patient) => patient?.Gender?.Trim().ToLowerInvariant() switch
    {
        "male" or "m" => SampleSex.Male,
        "female" or "f" => SampleSex.Female,
        _ => SampleSex.Unknown,
    };

    private static void Call(
        AlleleDefinitionDocument definitions, ObservedPharmacogene observed, SampleSex sex, List<GenotypeFinding> genotypes, List<string> notes, List<LabFileProblem> problems)
    {
        var symbol = definitions.Gene;
        var sample = observed.Genotypes.Select(g => new SampleGenotype(g.Position, g.First, g.Second, g.Phased, g.PhaseSet));
        var call = StarAlleleCaller.Call(definitions, sample, StarAlleleOptions.Default with { Sex = sex });
        var missing = call.MissingPositions.Count == 0 ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $"; {call.MissingPositions.Count} of its {definitions.Positions.Count} defining positions are not in the file and were not assumed reference");
        if (call.ToGenotype($"pgx:{symbol}", new CodedValue([], symbol)) is { } genotype)
        {
            genotypes.Add(genotype);
            if (missing.Length == 0) return;
            notes.Add($"{symbol} {call.Diplotype} was called from the VCF genotypes{missing}.");
            problems.Add(new LabFileProblem(SourcePosition.None, $"{symbol} was called from part of its positions{missing}"));
        }
        else if (call.Ambiguous)
        {
            notes.Add($"{symbol} was not called: the diplotypes {string.Join(", ", call.Candidates)} fit the VCF genotypes equally well{missing}.");
            problems.Add(new LabFileProblem(SourcePosition.None, string.Create(CultureInfo.InvariantCulture,
                $"{symbol} is ambiguous and was not called ({call.Candidates.Count} diplotypes fit equally well){missing}")));
        }
        else
        {
            notes.Add($"{symbol} was not called: no diplotype of its allele definitions fits the VCF genotypes{missing}.");
            problems.Add(new LabFileProblem(SourcePosition.None, $"{symbol}: no diplotype of its allele definitions fits the genotypes{missing}"));
        }
    }

    /// <summary>
    /// The lab's diplotypes of one gene among the called ones: the lab's wins for a gene in both; for the clinician, a note
    /// naming both when they differ, or every one when the lab's own disagree; for the ledger, the same without them.
    /// </summary>
    private static void Merge(StatedDiplotypes stated, List<GenotypeFinding> genotypes, List<string> notes, List<LabFileProblem> problems)
    {
        var (gene, diplotypes) = (stated.Gene, stated.Diplotypes);
        var key = $"pgx:{gene}";
        var called = genotypes.FindIndex(g => g.Key == key);
        var ours = called >= 0 && ReportEnricher.DiplotypeOf(genotypes[called]) is var (_, diplotype) ? diplotype : null;
        if (diplotypes.Count > 1)
        {
            var kept = ours is null ? "none of them is reported" : $"the one called from the VCF genotypes, {ours}, is reported";
            notes.Add($"{gene}: the lab reported different diplotypes in the VCF ({string.Join(", ", diplotypes)}); {kept}. Review before acting.");
            problems.Add(new LabFileProblem(SourcePosition.None, string.Create(CultureInfo.InvariantCulture,
                $"{gene}: the lab reported {diplotypes.Count} different diplotypes in the VCF; none of them was used")));
            return;
        }

        var lab = StarAlleleCall.DiplotypeGenotype(key, new CodedValue([], gene), gene, diplotypes[0]);
        if (called < 0)
        {
            genotypes.Add(lab);
            return;
        }

        if (ours is not null && !StarDiplotypes.Same(ours, diplotypes[0]))
        {
            notes.Add($"{gene}: the lab reported {diplotypes[0]} in the VCF; the VCF genotypes give {ours}. The lab's diplotype is reported; review before acting.");
            problems.Add(new LabFileProblem(SourcePosition.None, $"{gene}: the lab's diplotype differs from the one called from the VCF genotypes; the lab's is reported"));
        }

        genotypes[called] = lab;
    }
}
