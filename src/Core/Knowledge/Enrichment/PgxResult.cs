using System.Text.RegularExpressions;

namespace PrecisionMed.Core.Knowledge.Enrichment;

/// <summary>
/// One gene's result in a report, as guideline recommendations are matched against it: a diplotype with its phenotype
/// document (phenotype, activity score, CPIC's lookup key), or for an HLA gene the alleles found, per chromosome,
/// each with its alternatives (a GL string's <c>/</c>).
/// </summary>
internal sealed record PgxResult(
    string Gene,
    string GenotypeKey,
    string Shown,
    DiplotypePhenotypeDocument? Phenotype,
    IReadOnlyList<IReadOnlyList<string>>? HlaAlleles)
{
    /// <summary>How the result reads in a conclusion: <c>CYP2C9 *1/*3 (Intermediate Metabolizer, activity score 1.0)</c>.</summary>
    public string Describe() => Phenotype is { } p
        ? $"{Gene} {Shown} ({p.Phenotype}{(KnowledgeIds.NormaliseActivityScore(p.ActivityScore) is { } score ? $", activity score {score}" : string.Empty)})"
        : $"{Gene} {Shown}";
}

/// <summary>HLA results from a genotype's value: a GL string (<c>hla#3.23.0#HLA-B*15:01:01G+HLA-B*57:01:01G</c>) or a diplotype (<c>*57:01/*08:01</c>).</summary>
internal static partial class HlaAlleles
{
    /// <summary>The alleles at two-field resolution, per chromosome; null when the text holds no HLA allele.</summary>
    public static IReadOnlyList<IReadOnlyList<string>>? Parse(string text)
    {
        var body = text[(text.LastIndexOf('#') + 1)..];
        var gl = body.Contains('+', StringComparison.Ordinal);
        var chromosomes = new List<IReadOnlyList<string>>();
        foreach (var chromosome in body.Split(gl ? '+' : '/'))
        {
            var alternatives = chromosome.Split(gl ? ['/', '|'] : ['|'])
                .Select(a => TwoFields().Match(a))
                .Where(m => m.Success)
                .Select(m => m.Groups[1].Value)
                .ToList();
            if (alternatives.Count > 0) chromosomes.Add(alternatives);
        }

        return chromosomes.Count == 0 ? null : chromosomes;
    }

    /// <summary>
    /// Whether the result is positive for an allele (<c>57:01</c>): true when a chromosome carries it whatever its
    /// ambiguity resolves to, false when no alternative anywhere is it, null when it depends on an unresolved ambiguity.
    /// </summary>
    public static bool? Carries(IReadOnlyList<IReadOnlyList<string>> alleles, string allele)
    {
        if (alleles.Any(c => c.All(a => a == allele))) return true;
        if (alleles.All(c => c.All(a => a != allele))) return false;
        return null;
    }

    [GeneratedRegex(@"(?:^|\*|:|\s)(\d{2,3}:\d{2,3})")]
    private static partial Regex TwoFields();
}
