using System.Runtime.CompilerServices;

namespace PrecisionMed.Core.Knowledge.Import;

/// <summary>
/// CPIC's drug table (<c>drug</c> as TSV, columns by header name: drugid, name, pharmgkbid, rxnormid, drugbankid,
/// atcid), into one <see cref="DrugTableDocument"/>: a few hundred rows that enrichment reads once to code every drug
/// a guideline names (RxNorm ingredient from the PharmGKB id). <c>\N</c> is the database's missing value; ATC codes
/// come as a set, <c>{J05AF06,J05AR02}</c>.
/// </summary>
public sealed class CpicDrugTableReader : IKnowledgeSourceReader
{
    private static readonly string[] Required = ["drugid", "name", "pharmgkbid", "rxnormid"];

    public async IAsyncEnumerable<KnowledgeDocument> ReadAsync(
        Stream content, ImportDiagnostics diagnostics, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Dictionary<string, int>? header = null;
        var drugs = new List<DrugCodes>();
        var row = new TsvRow();
        await foreach (var (line, number) in SourceLines.ReadAsync(content, cancellationToken))
        {
            if (line.Length == 0) continue;
            if (header is null)
            {
                header = TsvRow.Header(line);
                if (Required.FirstOrDefault(c => !header.ContainsKey(c)) is { } missing)
                {
                    diagnostics.Add(number, missing, "not CPIC's drug table: the header lacks this column");
                    yield break;
                }

                continue;
            }

            row.Reset(line, number);
            string? Field(string name) => header.TryGetValue(name, out var index) && row.Value(index) is { } value && value != @"\N" ? value : null;
            if (Field("drugid") is not { } id || Field("name") is not { } name)
            {
                diagnostics.Add(number, "drugid", "the row has no drug id or name");
                continue;
            }

            var atc = Field("atcid")?.Trim('{', '}').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
            drugs.Add(new DrugCodes(id, name, Field("pharmgkbid"), Field("rxnormid"), Field("drugbankid"), atc));
        }

        // A header alone is no table: the import refuses a source that yields nothing.
        if (drugs.Count > 0)
            yield return new DrugTableDocument([.. drugs.OrderBy(d => d.Name, StringComparer.Ordinal).ThenBy(d => d.DrugId, StringComparer.Ordinal)]);
    }
}
