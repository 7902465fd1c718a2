using System.Text.Json.Nodes;
using PrecisionMed.Core.Genomics.Index;

namespace PrecisionMed.Core.Genomics.Operations;

/// <summary>
/// The subject operations that return findings other than variants: haplotypes and genotypes (by gene or by name), and
/// the therapeutic and diagnostic implications and molecular consequences with the findings they derive from.
/// </summary>
internal static class SubjectFindingOperations
{
    public static async Task<JsonObject> HaplotypesAsync(OperationRequest request, IReadOnlyList<IndexedReport> reports, ResourceReader reader, CancellationToken cancellationToken)
    {
        var haplotypes = ReportFilter.Reports(request, reports).SelectMany(r => ReportFilter.Haplotypes(request, r)).ToList();
        var answers = new List<JsonObject>();
        if (request.Operation == "find-subject-haplotypes")
        {
            foreach (var gene in request.Genes)
            {
                var found = haplotypes.Where(h => gene.Matches(h.Genes)).Select(h => (h.Profile, h.Observation));
                answers.Add(ParametersJson.Part("haplotypes", [ParametersJson.String("geneItem", gene.Text), .. await reader.PartsAsync(found, cancellationToken).ConfigureAwait(false)]));
            }

            return ParametersJson.Parameters(answers);
        }

        foreach (var item in request.Haplotypes)
        {
            var found = item.AllOf.Select(q => haplotypes.Where(q.Matches).ToList()).ToList();
            var present = found.All(f => f.Count > 0);
            var resources = present ? await reader.PartsAsync(found.SelectMany(f => f).Select(h => (h.Profile, h.Observation)), cancellationToken).ConfigureAwait(false) : [];
            answers.Add(ParametersJson.Part("haplotypes", [ParametersJson.String("haplotypeItem", item.Text), ParametersJson.Boolean("presence", present), .. resources]));
        }

        return ParametersJson.Parameters(answers);
    }

    public static async Task<JsonObject> ImplicationsAsync(OperationRequest request, IReadOnlyList<IndexedReport> reports, ResourceReader reader, CancellationToken cancellationToken)
    {
        var profile = request.Operation == "find-subject-tx-implications" ? "therapeutic-implication" : "diagnostic-implication";
        var kept = ReportFilter.Reports(request, reports).ToList();
        var findings = FindingsOf(request, kept);
        var implications = kept.SelectMany(r => r.Implications).Where(i => i.Profile == profile && ImplicationMatcher.Matches(request, i, findings)).ToList();
        var parts = implications.Select(i => ("implication", i.Observation))
            .Concat(implications.SelectMany(i => i.DerivedFrom).Where(findings.ContainsKey).Select(d => (findings[d].Part, d)));
        return ParametersJson.Parameters(await reader.PartsAsync(parts, cancellationToken).ConfigureAwait(false));
    }

    public static async Task<JsonObject> ConsequencesAsync(OperationRequest request, IReadOnlyList<IndexedReport> reports, ResourceReader reader, CancellationToken cancellationToken)
    {
        var kept = ReportFilter.Reports(request, reports).ToList();
        var findings = FindingsOf(request, kept);
        var consequences = kept.SelectMany(r => r.MolecularConsequences).Where(c => ImplicationMatcher.Matches(request, c, findings)).ToList();
        var parts = consequences.Select(c => ("consequence", c.Observation))
            .Concat(consequences.SelectMany(c => c.DerivedFrom).Where(findings.ContainsKey).Select(d => (findings[d].Part, d)));
        return ParametersJson.Parameters(await reader.PartsAsync(parts, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The findings an implication or consequence may derive from, by <c>Observation/id</c>: the variants of the
    /// asked source class and the haplotypes and genotypes, each with the answer part it returns as.</summary>
    internal static Dictionary<string, Finding> FindingsOf(OperationRequest request, IEnumerable<IndexedReport> reports)
    {
        var findings = new Dictionary<string, Finding>(StringComparer.Ordinal);
        foreach (var report in reports)
        {
            foreach (var variant in ReportFilter.Variants(request, report)) findings.TryAdd(variant.Observation, new Finding("variant", variant, null));
            foreach (var haplotype in report.Haplotypes) findings.TryAdd(haplotype.Observation, new Finding(haplotype.Profile, null, haplotype));
        }

        return findings;
    }
}

/// <summary>A finding an implication derives from: a variant, or a genotype or haplotype.</summary>
/// <param name="Part">The answer's part name: <c>variant</c>, <c>genotype</c> or <c>haplotype</c>.</param>
internal sealed record Finding(string Part, IndexedVariant? Variant, IndexedHaplotype? Haplotype);
