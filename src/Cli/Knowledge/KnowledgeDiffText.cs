using System.Globalization;
using PrecisionMed.Core.Knowledge.Diff;

namespace PrecisionMed.Cli.Knowledge;

/// <summary>A knowledge diff as <c>pmed</c> prints it: one summary line, then one line per change, the weightiest first.</summary>
internal static class KnowledgeDiffText
{
    public static string Summary(KnowledgeDiff diff, bool stored)
    {
        if (diff.IsEmpty) return "diff: nothing changed";
        var what = diff.Baseline
            ? $"baseline (no earlier release of this series in the store): {diff.Added} classifications"
            : $"{diff.Added} added, {diff.Changed} changed, {diff.Removed} removed; impact {Counts(diff.Impacts)}";
        return string.Create(CultureInfo.InvariantCulture, $"diff {diff.Id}{(stored ? $" (stored with {diff.ToVersion})" : string.Empty)}: {what}");
    }

    public static string Counts(ImpactCounts counts) =>
        string.Create(CultureInfo.InvariantCulture, $"{counts.Major} major, {counts.Warning} warning, {counts.Minor} minor, {counts.None} none");

    /// <summary><c>major changed classification 183381 ISG15 GRCh37:1:949523:C:T: Pathogenic (2019-08-05) -> Benign (2019-09-15)</c>.</summary>
    public static string Line(KnowledgeChange change)
    {
        var where = change.Subject == KnowledgeChange.Classification
            ? string.Join(' ', change.Genes.Take(3).Concat(change.Locations.Take(2)))
            : $"{change.Drug} {string.Join(';', change.Lookup ?? [])}";
        return $"{change.Impact.ToString().ToLowerInvariant()} {change.Kind.ToString().ToLowerInvariant()} {change.Subject} {change.Key} {where}: "
            + $"{Value(change.OldValue, change.OldReviewStatus, change.OldDate)} -> {Value(change.NewValue, change.NewReviewStatus, change.NewDate)}";
    }

    private static string Value(string? value, string? review, string? date)
    {
        if (value is null) return date is null ? "(none)" : $"(none, {date})";
        var text = value.Length > 120 ? value[..117] + "..." : value;
        return $"{text.ReplaceLineEndings(" ")}{(review is null ? string.Empty : $" [{review}]")}{(date is null ? string.Empty : $" ({date})")}";
    }
}
