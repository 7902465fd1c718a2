using System.Text.Json.Nodes;
using PrecisionMed.Core.Genomics.Index;

namespace PrecisionMed.Core.Genomics.Operations;

/// <summary>
/// find-subject-variants, find-subject-specific-variants and the two structural ones, over the subject's indexed reports:
/// one part per range or variant asked, in the order asked, with its presence and (when the operation returns them) the
/// variant Observations.
/// </summary>
internal static class SubjectVariantOperations
{
    public static async Task<JsonObject> EvaluateAsync(OperationRequest request, IReadOnlyList<IndexedReport> reports, ResourceReader reader, CancellationToken cancellationToken)
    {
        var variants = ReportFilter.Reports(request, reports).SelectMany(r => ReportFilter.Variants(request, r)).ToList();
        var answers = new List<JsonObject>();
        if (request.Operation == "find-subject-specific-variants")
        {
            foreach (var item in request.Variants)
            {
                var found = item.AllOf.Select(q => variants.Where(q.Matches).ToList()).ToList();
                var present = found.All(f => f.Count > 0);
                var resources = present ? await reader.PartsAsync(found.SelectMany(f => f).Select(v => ("variant", v.Observation)), cancellationToken).ConfigureAwait(false) : [];
                answers.Add(ParametersJson.Part("variants", [ParametersJson.String("variantItem", item.Text), ParametersJson.Boolean("presence", present), .. resources]));
            }

            return ParametersJson.Parameters(answers);
        }

        Func<GenomicRange, IndexedVariant, bool> inRange = request.Operation switch
        {
            "find-subject-structural-subsuming-variants" => (range, v) => IsStructural(v) && range.IsSubsumedBy(v),
            "find-subject-structural-intersecting-variants" => (range, v) => IsStructural(v) && range.Intersects(v),
            _ => (range, v) => !IsStructural(v) && range.Intersects(v),
        };
        var returnVariants = request.IncludeVariants || request.IncludePhasing;
        var phases = request.IncludePhasing ? ReportFilter.Reports(request, reports).SelectMany(r => r.PhaseRelationships).ToList() : [];
        foreach (var range in request.Ranges)
        {
            var found = variants.Where(v => inRange(range, v)).ToList();
            // The relationships between variants this answer returns (all of those a relationship relates).
            var returned = found.Select(v => v.Observation).ToHashSet(StringComparer.Ordinal);
            var phased = phases.Where(p => p.Variants.Count > 0 && p.Variants.All(returned.Contains)).Select(p => ("sequencePhaseRelationship", p.Observation));
            var resources = returnVariants
                ? await reader.PartsAsync(found.Select(v => ("variant", v.Observation)).Concat(phased), cancellationToken).ConfigureAwait(false) : [];
            answers.Add(ParametersJson.Part("variants", [ParametersJson.String("rangeItem", range.Text), ParametersJson.Boolean("presence", found.Count > 0), .. resources]));
        }

        return ParametersJson.Parameters(answers);
    }

    /// <summary>A structural variant: one the index gives a structural type or an outer range (the IG's
    /// find-subject-variants is about simple variants, the structural operations about the others).</summary>
    public static bool IsStructural(IndexedVariant variant) => variant.StructuralType is not null || variant.OuterStart is not null || variant.CopyNumber is not null;
}
