using System.Text.RegularExpressions;

namespace PrecisionMed.Core.Genomics.Index;

/// <summary>
/// What the conclusion of an implication the pipeline derived from its knowledge store says of its origin
/// (src/Core/Knowledge/Enrichment writes <c>ClinVar: Pathogenic (variation 183381; PrecisionMed knowledge store version kv-…).</c>):
/// the store version, and for a classification its VariationID. A lab's implication names neither.
/// </summary>
public static partial class KnowledgeConclusion
{
    public static (string? KnowledgeVersion, string? Variation) Parse(string? conclusion)
    {
        if (conclusion is null) return (null, null);
        var version = VersionPattern().Match(conclusion);
        if (!version.Success) return (null, null);
        var variation = VariationPattern().Match(conclusion);
        return (version.Groups[1].Value, variation.Success ? variation.Groups[1].Value : null);
    }

    [GeneratedRegex(@"PrecisionMed knowledge store version ([A-Za-z0-9_-]+)", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();

    [GeneratedRegex(@"\(variation (\d+);", RegexOptions.CultureInvariant)]
    private static partial Regex VariationPattern();
}
