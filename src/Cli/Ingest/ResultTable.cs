using System.Globalization;
using System.Text;

namespace PrecisionMed.Cli.Ingest;

/// <summary>The plain-text table <c>pmed ingest</c> prints: one row per file, then totals.</summary>
internal static class ResultTable
{
    public static string Render(IReadOnlyList<IngestResult> results, string outputFolder)
    {
        string[] header = ["file", "format", "reports", "resources", "skipped", "status"];
        var rows = results.Select(r => new[]
        {
            Path.GetFileName(r.File) + (r.Manifest is null ? string.Empty : " +manifest"),
            r.Format ?? "-",
            r.Reports.ToString(CultureInfo.InvariantCulture),
            r.Resources.ToString(CultureInfo.InvariantCulture),
            r.Skipped.Count.ToString(CultureInfo.InvariantCulture),
            r.Status,
        }).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();

        var text = new StringBuilder();
        AppendRow(text, header, widths);
        AppendRow(text, widths.Select(w => new string('-', w)).ToArray(), widths);
        foreach (var row in rows) AppendRow(text, row, widths);

        var ingested = results.Count(r => r.Status == "ingested");
        text.Append(CultureInfo.InvariantCulture,
            $"{ingested} of {results.Count} file(s) ingested, {results.Sum(r => r.Reports)} report(s), {results.Sum(r => r.Resources)} resource(s); bundles in {outputFolder}")
            .AppendLine();
        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            var numeric = i is 2 or 3 or 4;
            var last = i == cells.Length - 1;
            text.Append(numeric ? cells[i].PadLeft(widths[i]) : last ? cells[i] : cells[i].PadRight(widths[i]));
            if (!last) text.Append("  ");
        }

        text.AppendLine();
    }
}
