using PrecisionMed.Core.Genomics.Index;
using PrecisionMed.Core.Knowledge.Diff;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Pipeline.Reinterpretation;

/// <summary>One of our implications a knowledge change bears on (never a lab's: only those the store derived).</summary>
/// <param name="Observation"><c>Observation/id</c> of the store implication.</param>
public sealed record AffectedImplication(string Observation, string Profile, string? Significance, string? KnowledgeVersion, string ChangeKey);

/// <summary>A report with store implications a diff changes: one reinterpretation work item.</summary>
public sealed record AffectedReport(string Patient, string Report, IReadOnlyList<AffectedImplication> Implications);

/// <summary>
/// Finds the reports a diff touches through the genomic index, never by searching FHIR: a classification by the
/// 1 Mb bin partition of each of its locations (one single-partition read per bin; when it has HGVS, also its genes'
/// partitions, where reports without coordinates are), its reports' variants matched by SPDI or HGVS, then each matched patient's own partition read once for the store implications derived from them.
/// A recommendation by the gene partitions of its guideline's genes: our therapeutic implications assessing its drug
/// with its phenotypes (<see cref="RecommendationMatch.MayBear"/>; the worker checks each one's conclusion before amending).
/// Added classifications and recommendations touch no report (no report carries an implication of what the store did not know).
/// </summary>
public sealed class AffectedReportFinder(IGenomicIndex index)
{
    /// <summary>Every affected report once, its implications from every change of <paramref name="changes"/> that bears on it.</summary>
    public async Task<IReadOnlyList<AffectedReport>> FindAsync(IEnumerable<KnowledgeChange> changes, CancellationToken cancellationToken)
    {
        var found = new SortedDictionary<(string Patient, string Report), Dictionary<string, AffectedImplication>>();
        var subjects = new Dictionary<string, IReadOnlyList<IndexedReport>>(StringComparer.Ordinal);
        foreach (var change in changes.Where(c => c.Subject == KnowledgeChange.Classification && c.Kind != ChangeKind.Added))
        {
            foreach (var (patient, report, variants) in await MatchingVariantsAsync(change, cancellationToken))
            {
                if (!subjects.TryGetValue(patient, out var reports)) subjects[patient] = reports = await index.ReadSubjectAsync(patient, cancellationToken);
                var whole = reports.FirstOrDefault(r => r.Report == report);
                if (whole is null) continue;
                foreach (var implication in whole.Implications)
                {
                    if (implication.KnowledgeVersion is null || implication.Profile != "diagnostic-implication") continue;
                    if (!implication.DerivedFrom.Any(variants.Contains)) continue;
                    if (implication.Variation is { } variation && variation != change.Key) continue;
                    if (!found.TryGetValue((patient, report), out var list)) found[(patient, report)] = list = new(StringComparer.Ordinal);
                    list[implication.Observation] = new AffectedImplication(implication.Observation, implication.Profile, implication.Significance, implication.KnowledgeVersion, change.Key);
                }
            }
        }

        // Recommendations: the gene partitions of the guideline's genes hold every report with a result of them and the
        // implications derived from it; our therapeutic implications assessing the drug with the key's phenotypes are candidates.
        var genes = new Dictionary<string, IReadOnlyList<IndexedReport>>(StringComparer.Ordinal);
        foreach (var change in changes.Where(c => c.Subject == KnowledgeChange.Recommendation && c.Kind != ChangeKind.Added && c.DrugId is not null))
        {
            foreach (var gene in change.Genes)
            {
                var key = PopulationKey.Gene(gene);
                if (!genes.TryGetValue(key.Value, out var slices)) genes[key.Value] = slices = await index.ReadPopulationAsync(key, cancellationToken);
                foreach (var slice in slices)
                {
                    foreach (var implication in slice.Implications.Where(i => RecommendationMatch.MayBear(i, change)))
                    {
                        if (!found.TryGetValue((slice.Patient, slice.Report), out var list)) found[(slice.Patient, slice.Report)] = list = new(StringComparer.Ordinal);
                        list[implication.Observation] = new AffectedImplication(implication.Observation, implication.Profile, implication.Significance, implication.KnowledgeVersion, change.Key);
                    }
                }
            }
        }

        return [.. found.Select(f => new AffectedReport(f.Key.Patient, f.Key.Report, [.. f.Value.Values.OrderBy(i => i.Observation, StringComparer.Ordinal)]))];
    }

    /// <summary>Per report under the change's bins, the variant Observations that are the changed variant.</summary>
    private async Task<List<(string Patient, string Report, HashSet<string> Variants)>> MatchingVariantsAsync(KnowledgeChange change, CancellationToken cancellationToken)
    {
        var spdis = new HashSet<string>(StringComparer.Ordinal);
        var bins = new HashSet<PopulationKey>();
        foreach (var location in change.Locations.Select(ClassificationRecord.ParseLocation).OfType<Knowledge.VariantLocation>())
        {
            if (GenomeBuild.FromName(location.Build) is not { } build || RefSeqChromosomes.Accession(build, location.Chromosome) is not { } accession) continue;
            if (Spdi.Of(accession, location.Position - 1, location.Ref, location.Alt) is { } spdi) spdis.Add(spdi);
            bins.Add(PopulationKey.Bin(accession, location.Position - 1));
        }

        var hgvs = change.Hgvs.ToHashSet(StringComparer.Ordinal);

        // A report that named the variant by HGVS only (no coordinates) sits in no bin: its genes' partitions hold it.
        if (hgvs.Count > 0) bins.UnionWith(change.Genes.Select(PopulationKey.Gene));
        var matches = new Dictionary<(string, string), HashSet<string>>();
        foreach (var bin in bins)
        {
            foreach (var slice in await index.ReadPopulationAsync(bin, cancellationToken))
            {
                foreach (var variant in slice.Variants)
                {
                    var same = (variant.Spdi is { } spdi && spdis.Contains(spdi)) || variant.Hgvs.Any(h => hgvs.Contains(Knowledge.KnowledgeIds.NormaliseHgvs(h)));
                    if (!same) continue;
                    if (!matches.TryGetValue((slice.Patient, slice.Report), out var set)) matches[(slice.Patient, slice.Report)] = set = new(StringComparer.Ordinal);
                    set.Add(variant.Observation);
                }
            }
        }

        return [.. matches.Select(m => (m.Key.Item1, m.Key.Item2, m.Value))];
    }
}
