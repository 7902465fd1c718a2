using PrecisionMed.Core.Genomics.Index;

namespace PrecisionMed.Core.Genomics.Operations;

/// <summary>
/// Whether an implication or a molecular consequence answers a request: it must derive from a finding the request keeps
/// (of its source class), and for each kind of input given (variants, ranges, haplotypes, treatments, conditions, feature
/// consequences) match one of its values; kinds not given do not narrow.
/// </summary>
internal static class ImplicationMatcher
{
    public static bool Matches(OperationRequest request, IndexedImplication implication, IReadOnlyDictionary<string, Finding> findings)
    {
        var derived = implication.DerivedFrom.Where(findings.ContainsKey).Select(d => findings[d]).ToList();
        return (derived.Count > 0 || (implication.DerivedFrom.Count == 0 && request.GenomicSourceClass is null))
            && DerivesFromAsked(request, derived)
            && (request.Treatments.Count == 0 || implication.Medications.Any(m => request.Treatments.Any(t => t.Matches(m))))
            && (request.Conditions.Count == 0 || implication.Conditions.Concat(implication.Phenotypes).Any(c => request.Conditions.Any(q => q.Matches(c))));
    }

    public static bool Matches(OperationRequest request, IndexedConsequence consequence, IReadOnlyDictionary<string, Finding> findings)
    {
        var derived = consequence.DerivedFrom.Where(findings.ContainsKey).Select(d => findings[d]).ToList();
        return derived.Count > 0
            && DerivesFromAsked(request, derived)
            && (request.FeatureConsequences.Count == 0 || consequence.Consequences.Any(c => request.FeatureConsequences.Any(q => q.Matches(c))));
    }

    private static bool DerivesFromAsked(OperationRequest request, List<Finding> derived)
    {
        var variants = derived.Select(f => f.Variant).OfType<IndexedVariant>().ToList();
        var haplotypes = derived.Select(f => f.Haplotype).OfType<IndexedHaplotype>().ToList();
        return (request.Variants.Count == 0 || request.Variants.Any(item => item.AllOf.All(q => variants.Any(q.Matches))))
            && (request.Ranges.Count == 0 || request.Ranges.Any(r => variants.Any(r.Intersects)))
            && (request.Haplotypes.Count == 0 || request.Haplotypes.Any(item => item.AllOf.All(q => haplotypes.Any(q.Matches))));
    }
}
