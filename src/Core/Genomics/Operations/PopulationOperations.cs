using System.Text.Json.Nodes;
using PrecisionMed.Core.Genomics.Index;

namespace PrecisionMed.Core.Genomics.Operations;

/// <summary>
/// The population operations: each reads only the partitions its inputs name (a variant's or a range's 1 Mb bins, a
/// haplotype's gene, a treatment's or a condition's own partition), each once per call, and counts the distinct patients
/// that match; the denominator is the index's count of patients.
/// </summary>
internal sealed class PopulationOperations(IGenomicIndex index)
{
    /// <summary>The most partitions one call may read (a range reads one per Mb it spans): the store's bound per request.</summary>
    public const int MaxPartitions = 200;

    private readonly Dictionary<PopulationKey, IReadOnlyList<IndexedReport>> _read = [];

    public async Task<OperationResult> EvaluateAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        if (PartitionsAsked(request) is var (parameter, count) && count > MaxPartitions)
        {
            return new OperationResult(null, OperationError.Invalid(parameter, null,
                $"the inputs name {count} population partitions (one per gene, code or Mb of a range); at most {MaxPartitions} are read per call"));
        }

        var items = new List<(string? ItemName, string? Item, HashSet<string> Patients)>();
        switch (request.Operation)
        {
            case "find-population-specific-variants":
                foreach (var item in request.Variants)
                {
                    if (item.AllOf.FirstOrDefault(v => !v.IsGenomic) is { } transcript) return TranscriptRefused(transcript);
                    var slices = await ReadAsync(item.AllOf.SelectMany(v => PopulationKey.Bins(v.Accession!, v.Start, Math.Max(v.End, v.Start + 1))), cancellationToken).ConfigureAwait(false);
                    items.Add(("variantItem", item.Text, PatientsWithAll(item.AllOf, q => slices.Where(r => ReportFilter.Variants(request, r).Any(q.Matches)))));
                }

                break;
            case "find-population-specific-haplotypes":
                foreach (var item in request.Haplotypes)
                {
                    var slices = await ReadAsync(item.AllOf.Select(h => h.Key), cancellationToken).ConfigureAwait(false);
                    items.Add(("haplotypeItem", item.Text, PatientsWithAll(item.AllOf, q => slices.Where(r => ReportFilter.Haplotypes(request, r).Any(q.Matches)))));
                }

                break;
            case "find-population-structural-intersecting-variants":
            case "find-population-structural-subsuming-variants":
                var subsuming = request.Operation.Contains("subsuming", StringComparison.Ordinal);
                foreach (var range in request.Ranges)
                {
                    // A variant that subsumes the range covers its first base, so the first bin holds every one of them.
                    IEnumerable<PopulationKey> keys = subsuming ? [PopulationKey.Bin(range.Accession, range.Start)] : PopulationKey.Bins(range.Accession, range.Start, range.End);
                    var slices = await ReadAsync(keys, cancellationToken).ConfigureAwait(false);
                    var found = slices.Where(r => ReportFilter.Variants(request, r).Any(v => SubjectVariantOperations.IsStructural(v) && (subsuming ? range.IsSubsumedBy(v) : range.Intersects(v))));
                    items.Add(("rangeItem", range.Text, [.. found.Select(r => r.Patient)]));
                }

                break;
            default:
                if (await ImplicationPatientsAsync(request, cancellationToken).ConfigureAwait(false) is not { } patients) return MissingCriteria(request);
                if (patients.Error is { } error) return new OperationResult(null, error);
                items.Add((null, null, patients.Patients!));
                break;
        }

        var denominator = await index.CountSubjectsAsync(cancellationToken).ConfigureAwait(false);
        var answerName = request.Operation switch
        {
            "find-population-specific-haplotypes" => "haplotypes",
            "find-population-tx-implications" or "find-population-dx-implications" => "implications",
            "find-population-molecular-consequences" => "consequences",
            _ => "variants",
        };
        var answers = new List<JsonObject>();
        foreach (var (itemName, item, patients) in items)
        {
            var parts = new List<JsonObject>();
            if (itemName is not null) parts.Add(ParametersJson.String(itemName, item!));
            parts.Add(ParametersJson.Quantity("numerator", patients.Count));
            parts.Add(ParametersJson.Quantity("denominator", denominator));
            if (request.IncludePatientList) parts.AddRange(patients.Order(StringComparer.Ordinal).Select(p => ParametersJson.String("subject", p)));
            answers.Add(ParametersJson.Part(answerName, parts));
        }

        return new OperationResult(ParametersJson.Parameters(answers), null);
    }

    private async Task<(HashSet<string>? Patients, OperationError? Error)?> ImplicationPatientsAsync(OperationRequest request, CancellationToken cancellationToken)
    {
        // The most specific input names the partitions; the others narrow what they hold.
        List<PopulationKey> keys;
        if (request.Treatments.Count > 0 || request.Conditions.Count > 0)
        {
            var codes = request.Treatments.Count > 0 ? request.Treatments : request.Conditions;
            var name = request.Treatments.Count > 0 ? "treatments" : "conditions";
            if (codes.FirstOrDefault(c => c.System is null) is { } bare)
            {
                return (null, OperationError.Invalid(name, bare.Text, "a population search needs the code's system (system|code)"));
            }

            keys = [.. codes.Select(c => request.Treatments.Count > 0 ? PopulationKey.Medication(c.Text) : PopulationKey.Condition(c.Text))];
        }
        else if (request.Variants.Count > 0)
        {
            if (request.Variants.SelectMany(i => i.AllOf).FirstOrDefault(v => !v.IsGenomic) is { } transcript) return (null, TranscriptRefused(transcript).Error);
            keys = [.. request.Variants.SelectMany(i => i.AllOf).SelectMany(v => PopulationKey.Bins(v.Accession!, v.Start, Math.Max(v.End, v.Start + 1)))];
        }
        else if (request.Haplotypes.Count > 0)
        {
            keys = [.. request.Haplotypes.SelectMany(i => i.AllOf).Select(h => h.Key)];
        }
        else
        {
            return null;
        }

        var slices = await ReadAsync(keys, cancellationToken).ConfigureAwait(false);
        var profile = request.Operation == "find-population-tx-implications" ? "therapeutic-implication" : "diagnostic-implication";
        var patients = new HashSet<string>(StringComparer.Ordinal);
        foreach (var slice in slices)
        {
            var findings = SubjectFindingOperations.FindingsOf(request, [slice]);
            var matches = request.Operation == "find-population-molecular-consequences"
                ? slice.MolecularConsequences.Any(c => ImplicationMatcher.Matches(request, c, findings))
                : slice.Implications.Any(i => i.Profile == profile && ImplicationMatcher.Matches(request, i, findings));
            if (matches) patients.Add(slice.Patient);
        }

        return (patients, null);
    }

    // An upper bound of the partitions the inputs name, and the input that names most of them.
    private static (string Parameter, long Count) PartitionsAsked(OperationRequest request)
    {
        static long BinsOf(long start, long end) => (Math.Max(start, end - 1) / PopulationKey.BinSize) - (start / PopulationKey.BinSize) + 1;
        var subsuming = request.Operation == "find-population-structural-subsuming-variants";
        (string, long)[] asked =
        [
            ("variants", request.Variants.SelectMany(i => i.AllOf).Where(v => v.IsGenomic).Sum(v => BinsOf(v.Start, Math.Max(v.End, v.Start + 1)))),
            ("ranges", request.Ranges.Sum(r => subsuming ? 1 : BinsOf(r.Start, r.End))),
            ("haplotypes", request.Haplotypes.Sum(i => (long)i.AllOf.Count)),
            ("treatments", request.Treatments.Count),
            ("conditions", request.Conditions.Count),
        ];
        return (asked.MaxBy(a => a.Item2).Item1, asked.Sum(a => a.Item2));
    }

    private static HashSet<string> PatientsWithAll<T>(IReadOnlyList<T> queries, Func<T, IEnumerable<IndexedReport>> matching)
    {
        HashSet<string>? patients = null;
        foreach (var query in queries)
        {
            var these = matching(query).Select(r => r.Patient).ToHashSet(StringComparer.Ordinal);
            if (patients is null) patients = these;
            else patients.IntersectWith(these);
        }

        return patients ?? [];
    }

    private async Task<List<IndexedReport>> ReadAsync(IEnumerable<PopulationKey> keys, CancellationToken cancellationToken)
    {
        var slices = new List<IndexedReport>();
        foreach (var key in keys.Distinct())
        {
            if (!_read.TryGetValue(key, out var read)) _read[key] = read = await index.ReadPopulationAsync(key, cancellationToken).ConfigureAwait(false);
            slices.AddRange(read);
        }

        return slices;
    }

    private static OperationResult TranscriptRefused(GenomicVariant variant) => new(null, OperationError.Invalid("variants", variant.Text,
        "a population search needs a genomic variant (SPDI or NC_ HGVS) to find its partition; a transcript or protein HGVS has no position"));

    private static OperationResult MissingCriteria(OperationRequest request) => new(null, new OperationError(OperationErrorKind.Required,
        "variants", null, request.Operation == "find-population-molecular-consequences"
            ? "is required by a population search of molecular consequences (there is no partition by consequence alone)"
            : "a population search of implications needs variants, haplotypes, treatments or conditions"));
}
