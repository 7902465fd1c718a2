using System.Runtime.CompilerServices;

namespace PrecisionMed.Core.Knowledge.Import;

/// <summary>
/// CPIC's example CDS alert language: the "Pre- and Post-Test Alerts" sheets of its guideline workbooks, exported as
/// TSV (<c>guideline-tables/DRUG/…Alerts…tsv</c>). The sheets were written by hand over 2016–2021 and differ: a title row
/// may come before the header, trigger columns are named per guideline (drug ordered, phenotype, activity score, HLA
/// allele, "trigger condition 1"), merged cells leave the first trigger blank on continuation rows, a sheet may hold
/// one alert column per drug (thiopurines, fluoropyrimidines) or per age group, and footnote letters trail the headers.
/// So the header is the first row with a "CDS Context" column; every other column but the alert texts and the flow
/// chart's reference points is a trigger. Alerts are grouped per drug (a drug's alerts span sheets: PPI populations)
/// into one <see cref="CdsAlertDocument"/> each. Flow charts and change logs are skipped.
/// </summary>
public sealed class CpicAlertReader : IKnowledgeSetReader
{
    public async IAsyncEnumerable<KnowledgeDocument> ReadAsync(
        IAsyncEnumerable<KnowledgeSetEntry> files, ImportDiagnostics diagnostics, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var drugs = new SortedDictionary<string, List<CdsAlert>>(StringComparer.Ordinal);
        await foreach (var (name, content) in files.WithCancellation(cancellationToken))
        {
            var file = name[(name.LastIndexOf('/') + 1)..];
            if (!file.Contains("Alert", StringComparison.OrdinalIgnoreCase) || !file.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase)) continue;
            var sheet = AlertSheet.For(file);
            if (sheet.IsFlowChartOrLog) continue;

            var found = 0;
            await foreach (var (drug, alert) in ReadSheetAsync(name, sheet, content, diagnostics, cancellationToken))
            {
                found++;
                if (!drugs.TryGetValue(drug, out var alerts)) drugs[drug] = alerts = [];
                alerts.Add(alert);
            }

            if (found == 0) diagnostics.Add(name, 1, null, "no alert rows: no header row with a \"CDS Context\" column, or no row under it");
        }

        foreach (var (drug, alerts) in drugs) yield return new CdsAlertDocument(drug, alerts);
    }

    private static async IAsyncEnumerable<(string Drug, CdsAlert Alert)> ReadSheetAsync(
        string name, AlertSheet sheet, Stream content, ImportDiagnostics diagnostics, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        AlertColumns? columns = null;
        string? carried = null;
        await foreach (var (line, number) in SourceLines.ReadAsync(content, cancellationToken))
        {
            var cells = line.Split('\t');
            if (columns is null)
            {
                columns = AlertColumns.TryRead(cells);
                continue;
            }

            var context = Context(Cell(cells, columns.Context));
            if (context is null) continue; // titles, sub-titles and footnotes
            var triggers = new List<string>();
            for (var i = 0; i < columns.Triggers.Count; i++)
            {
                var (index, header) = columns.Triggers[i];
                var value = Cell(cells, index);

                // The first trigger is a merged cell in the workbooks: blank on the rows it spans after its first.
                if (i == 0)
                {
                    if (value.Length == 0) value = carried ?? string.Empty;
                    else carried = value;
                }

                if (value.Length > 0) triggers.Add($"{header}: {WithoutFootnote(value)}");
            }

            foreach (var (index, qualifier) in columns.Texts)
            {
                var text = Cell(cells, index).Replace("\\n", "\n", StringComparison.Ordinal).Trim();
                if (text.Length == 0) continue;
                if (text is "n/a" or "N/A") text = "No CDS";
                var drug = qualifier is { } q && !AlertSheet.IsPopulation(q) ? q
                    : columns.DrugOrdered is { } drugColumn && Cell(cells, drugColumn) is { Length: > 0 } ordered ? ordered
                    : sheet.Drug;
                if (drug is null)
                {
                    diagnostics.Add(name, number, null, "the alert names no drug (no drug column, and the file name is not one drug's)");
                    continue;
                }

                var population = qualifier is { } p && AlertSheet.IsPopulation(p) ? p : sheet.Population;
                yield return (AlertSheet.DrugName(drug), new CdsAlert(text == "No CDS" ? "none" : context, triggers, text, population, name));
            }
        }
    }

    /// <summary>pre-test, post-test or none, from the workbooks' spellings ("Pre-Test", "Post-test", "No CDS"); null for a row that is no alert.</summary>
    private static string? Context(string cell) => cell.Trim().ToLowerInvariant() switch
    {
        var c when c.StartsWith("pre", StringComparison.Ordinal) => "pre-test",
        var c when c.StartsWith("post", StringComparison.Ordinal) => "post-test",
        var c when c.StartsWith("no cds", StringComparison.Ordinal) || c == "n/a" => "none",
        _ => null,
    };

    /// <summary>"No TPMT result on filed": the workbooks' footnote letter (a–e) glued to "on file".</summary>
    private static string WithoutFootnote(string value) =>
        value.Length > 8 && value[^1] is >= 'a' and <= 'e' && value[..^1].EndsWith("on file", StringComparison.Ordinal) ? value[..^1] : value;

    private static string Cell(string[] cells, int index) => index >= 0 && index < cells.Length ? cells[index].Trim().Trim('"').Trim() : string.Empty;

    /// <summary>Where a sheet keeps its context, texts (with the drug or age group a text column is for), triggers and drug.</summary>
    private sealed record AlertColumns(int Context, IReadOnlyList<(int Index, string? Qualifier)> Texts, IReadOnlyList<(int Index, string Header)> Triggers, int? DrugOrdered)
    {
        public static AlertColumns? TryRead(string[] cells)
        {
            var context = Array.FindIndex(cells, c => c.Trim().StartsWith("CDS Context", StringComparison.OrdinalIgnoreCase));
            if (context < 0) return null;
            var texts = new List<(int, string?)>();
            var triggers = new List<(int, string)>();
            int? drug = null;
            for (var i = 0; i < cells.Length; i++)
            {
                var header = cells[i].Trim();
                if (i == context || header.Length == 0 || header.StartsWith("Flow Chart", StringComparison.OrdinalIgnoreCase)) continue;
                if (header.StartsWith("CDS Alert Text", StringComparison.OrdinalIgnoreCase)) texts.Add((i, AlertSheet.Qualifier(header["CDS Alert Text".Length..])));
                else
                {
                    if (header.Equals("Drug Ordered", StringComparison.OrdinalIgnoreCase)) drug = i;
                    triggers.Add((i, header));
                }
            }

            return texts.Count == 0 ? null : new AlertColumns(context, texts, triggers, drug);
        }
    }
}
