using System.Runtime.CompilerServices;

namespace PrecisionMed.Core.Knowledge.Import;

/// <summary>
/// CPIC recommendations as a TSV export (columns by name: gene, phenotype, drugname, rxnormid, drugrecommendation,
/// implication, classification, guidelinename, guidelineurl, population, activityscore — the fields of CPIC's
/// recommendation view). One document per gene × phenotype (× activity score, for a row that has one other than
/// <c>n/a</c>) holds all its drugs, so enrichment needs one read per genotype; rows are grouped until the end of the
/// file (the whole CPIC export is a few thousand rows).
/// </summary>
public sealed class CpicRecommendationReader : IKnowledgeSourceReader
{
    private static readonly string[] RequiredColumns = ["gene", "phenotype", "drugname", "drugrecommendation"];

    public async IAsyncEnumerable<KnowledgeDocument> ReadAsync(
        Stream content, ImportDiagnostics diagnostics, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Dictionary<string, int>? header = null;
        var groups = new SortedDictionary<(string Gene, string Phenotype, string ActivityScore), List<DrugRecommendation>>();
        var row = new TsvRow();
        await foreach (var (line, number) in SourceLines.ReadAsync(content, cancellationToken))
        {
            if (line.Length == 0) continue;
            if (header is null)
            {
                header = TsvRow.Header(line);
                if (RequiredColumns.FirstOrDefault(c => !header.ContainsKey(c)) is { } missing)
                {
                    diagnostics.Add(number, missing, "not a CPIC recommendation export: the header lacks this column");
                    yield break;
                }

                continue;
            }

            row.Reset(line, number);
            string? Field(string name) => header.TryGetValue(name, out var index) ? row.Value(index) : null;
            var gene = Field("gene");
            var phenotype = Field("phenotype");
            var drug = Field("drugname");
            var recommendation = Field("drugrecommendation");
            if (gene is null || phenotype is null || drug is null || recommendation is null)
            {
                diagnostics.Add(number, null, "the row lacks a gene, phenotype, drug or recommendation");
                continue;
            }

            var key = (gene.ToUpperInvariant(), phenotype, KnowledgeIds.NormaliseActivityScore(Field("activityscore")) ?? string.Empty);
            if (!groups.TryGetValue(key, out var drugs)) groups[key] = drugs = [];
            drugs.Add(new DrugRecommendation(
                drug, Field("rxnormid"), recommendation, Field("implication"), Field("classification"),
                Field("guidelinename"), Field("guidelineurl"), Field("population")));
        }

        foreach (var ((gene, phenotype, score), drugs) in groups)
        {
            yield return new DrugGuidanceDocument(
                gene,
                phenotype,
                [.. drugs.OrderBy(d => d.Drug, StringComparer.Ordinal).ThenBy(d => d.Population, StringComparer.Ordinal)],
                score.Length > 0 ? score : null);
        }
    }
}
