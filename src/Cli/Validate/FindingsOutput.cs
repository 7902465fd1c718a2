using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using PrecisionMed.Validation;

namespace PrecisionMed.Cli.Validate;

/// <summary>How <c>pmed validate</c> (and <c>pmed ingest --validate</c>) print findings: one line per issue, or JSON.</summary>
internal static class FindingsOutput
{
    private static readonly JsonSerializerOptions FindingJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>"FILE: Bundle.entry[3] Observation/abc: error: Observation.code: message [rule]", errors first.</summary>
    public static IEnumerable<string> Lines(FileFindings file, bool withWarnings) =>
        from resource in file.Resources
        from issue in resource.Issues
        where withWarnings || issue.Severity == ValidationSeverity.Error
        orderby issue.Severity descending
        select $"{file.File}: {resource.Where}: {Name(issue.Severity)}: {issue}";

    public static string Summary(IReadOnlyList<FileFindings> files, bool warningsListed)
    {
        var warnings = files.Sum(f => f.Warnings);
        var hint = warnings > 0 && !warningsListed ? " (--warnings lists them)" : string.Empty;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{files.Count} file(s), {files.Sum(f => f.ResourceCount)} resource(s): {files.Sum(f => f.Errors)} error(s), {warnings} warning(s){hint}");
    }

    /// <summary>Totals and a flat list of every issue (warnings included), for scripts.</summary>
    public static string Json(IReadOnlyList<FileFindings> files)
    {
        var findings = files
            .SelectMany(f => f.Resources.SelectMany(r => r.Issues.Select(i =>
                new JsonFinding(f.File, r.Entry, r.Resource, r.FullUrl, i.Severity, i.Location, i.Message, i.Code))))
            .ToList();
        var summary = new JsonSummary(
            files.All(f => f.Errors == 0),
            files.Count,
            files.Sum(f => f.ResourceCount),
            files.Sum(f => f.Errors),
            files.Sum(f => f.Warnings),
            findings);
        return JsonSerializer.Serialize(summary, FindingJson);
    }

    private static string Name(ValidationSeverity severity) => severity == ValidationSeverity.Error ? "error" : "warning";

    private sealed record JsonSummary(bool Valid, int Files, int Resources, int Errors, int Warnings, IReadOnlyList<JsonFinding> Findings);

    private sealed record JsonFinding(
        string File, int? Entry, string Resource, string? FullUrl, ValidationSeverity Severity, string Location, string Message, string? Code);
}
