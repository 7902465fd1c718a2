using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Cli.Ledger;

/// <summary>How <c>pmed status</c> and <c>pmed replay</c> print: readable tables, or JSON with <c>--json</c>. No blob names (PHI).</summary>
internal static class LedgerOutput
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Files(IReadOnlyList<LabFileSummary> files)
    {
        string[] header = ["file id", "lab", "format", "state", "units", "received", "updated", "last problem"];
        var rows = files.Select(f => new[]
        {
            f.FileId, f.LabId, f.Format.ToString(), f.State.ToString(), UnitCounts(f), Time(f.ReceivedAt), Time(f.UpdatedAt), f.LastProblem?.ToString() ?? "-",
        }).ToList();
        return Table(header, rows);
    }

    public static string File(LabFileStatus status)
    {
        var text = new StringBuilder(Files([LabFileSummary.Of(status.File, status.Units)])).AppendLine();
        string[] header = ["unit", "state", "replays", "updated", "next attempt", "problem"];
        var rows = status.Units.Select(u => new[]
        {
            u.UnitIndex.ToString(CultureInfo.InvariantCulture), u.State.ToString(), u.ReplayCount.ToString(CultureInfo.InvariantCulture), Time(u.UpdatedAt),
            u.NextAttemptAt is { } next ? Time(next) : "-", u.Problem?.ToString() ?? Waiting(u) ?? "-",
        }).ToList();
        text.Append(Table(header, rows)).AppendLine().AppendLine("history:");
        var events = status.File.History.Select(e => (e.At, What: "file: " + e.What))
            .Concat(status.Units.SelectMany(u => u.History.Select(e => (e.At, What: $"unit {u.UnitIndex}: {e.What}"))))
            .OrderBy(e => e.At);
        foreach (var (at, what) in events) text.Append(CultureInfo.InvariantCulture, $"  {Time(at)}  {what}").AppendLine();
        return text.ToString();
    }

    /// <summary>Why a waiting unit waits and since when: its attempt number counts the tries so far.</summary>
    private static string? Waiting(LedgerUnit unit) =>
        unit is { State: UnitState.Waiting, WaitingReason: { } reason }
            ? string.Create(CultureInfo.InvariantCulture, $"{reason} (attempt {unit.Attempt}, failing since {(unit.FailingSince is { } since ? Time(since) : "-")})")
            : null;

    private static string UnitCounts(LabFileSummary file) =>
        file.Units.Count == 0 ? "-" : string.Join(", ", file.Units.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Value} {c.Key}")));

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The CDS Hooks feedback counts (ordering governance): service, card kind, outcome, override reason, count.</summary>
    public static string CdsFeedback(IReadOnlyList<Core.Cds.Feedback.CdsFeedbackCount> counts)
    {
        string[] header = ["service", "card kind", "outcome", "override reason", "count"];
        var rows = counts.Select(c => new[] { c.Service, c.Kind, c.Outcome, c.OverrideReason ?? "-", c.Count.ToString(CultureInfo.InvariantCulture) }).ToList();
        return Table(header, rows);
    }

    private static string Table(string[] header, List<string[]> rows)
    {
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        AppendRow(text, header, widths);
        AppendRow(text, [.. widths.Select(w => new string('-', w))], widths);
        foreach (var row in rows) AppendRow(text, row, widths);
        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            var last = i == cells.Length - 1;
            text.Append(last ? cells[i] : cells[i].PadRight(widths[i]));
            if (!last) text.Append("  ");
        }

        text.AppendLine();
    }
}
