using System.Collections;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Adapters;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Core.Pipeline.Review;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Cli.Review;

/// <summary>
/// The work of <c>pmed review</c>: a thin call into <see cref="ReportReview"/> with the function app's adapters, so a
/// release writes exactly what the pipeline would have. Prints ids, states and field names only.
/// </summary>
internal sealed class ReviewRunner(IServiceProvider services, TextWriter stdout, TextWriter stderr)
{
    public const int ExitOk = ExitCodes.Ok;
    public const int ExitNotFound = ExitCodes.Rejected;
    public const int ExitNotConfigured = ExitCodes.Usage;

    /// <summary>
    /// The pipeline and its Azure (or local-stack) adapters, configured as the function app is and needing what it needs
    /// (a release writes to the FHIR service, moves files in lab storage and updates the ledger).
    /// </summary>
    public static ServiceProvider BuildServices(IReadOnlyDictionary<string, string?> settings) =>
        AppServices.Build(settings, AppConnections.All);

    /// <summary>App settings from environment variables, <c>Section__Key</c> read as <c>Section:Key</c> as the host reads them.</summary>
    public static Dictionary<string, string?> SettingsFromEnvironment()
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
            settings[((string)variable.Key).Replace("__", ":", StringComparison.Ordinal)] = (string?)variable.Value;
        return settings;
    }

    public async Task<int> ListAsync(CancellationToken cancellationToken)
    {
        if (await ReviewOrNullAsync() is not { } review) return ExitNotConfigured;
        var held = await review.ListAsync(cancellationToken);
        if (held.Count == 0)
        {
            await stdout.WriteLineAsync("No report is held for review.");
            return ExitOk;
        }

        await stdout.WriteLineAsync(string.Format(CultureInfo.InvariantCulture, "{0,-40} {1,5} {2,-20} {3,-20} {4}", "FILE ID", "UNIT", "LAB", "HELD AT (UTC)", "DISAGREEING FIELDS"));
        foreach (var report in held)
        {
            await stdout.WriteLineAsync(string.Format(CultureInfo.InvariantCulture, "{0,-40} {1,5} {2,-20} {3,-20} {4}",
                report.FileId, report.UnitIndex + 1, report.LabId, report.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                string.Join(", ", report.Fields)));
        }

        await stdout.WriteLineAsync($"{held.Count} held report unit(s). Release with `pmed review release FILE_ID [--unit N]`, "
                                    + "or reject with `pmed review reject FILE_ID [--unit N] --reason TEXT`.");
        return ExitOk;
    }

    public Task<int> ReleaseAsync(string fileId, int? unit, CancellationToken cancellationToken) =>
        ReportAsync(review => review.ReleaseAsync(fileId, unit - 1, cancellationToken), fileId, "released");

    public Task<int> RejectAsync(string fileId, int? unit, string reason, CancellationToken cancellationToken) =>
        ReportAsync(review => review.RejectAsync(fileId, unit - 1, reason, cancellationToken), fileId, "rejected");

    /// <summary>The review service, or null (with the settings to add or mend on stderr) when the app settings would not start the app.</summary>
    private async Task<ReportReview?> ReviewOrNullAsync()
    {
        if (AppServices.SettingsProblem(services) is { } problem)
        {
            await stderr.WriteLineAsync($"pmed review: {problem} Set the function app's settings as environment variables.");
            return null;
        }

        return services.GetRequiredService<ReportReview>();
    }

    private async Task<int> ReportAsync(Func<ReportReview, Task<IReadOnlyList<ReviewedUnit>>> run, string fileId, string verb)
    {
        if (await ReviewOrNullAsync() is not { } review) return ExitNotConfigured;
        IReadOnlyList<ReviewedUnit> reviewed;
        try
        {
            reviewed = await run(review);
        }
        catch (ReviewException ex)
        {
            await stderr.WriteLineAsync($"pmed review: {ex.Message}");
            return ExitNotFound;
        }

        foreach (var unit in reviewed)
        {
            var outcome = unit.Outcome is { } o && o != WorkOutcome.Completed ? $" ({o})" : string.Empty;
            await stdout.WriteLineAsync($"File {fileId} unit {unit.UnitIndex + 1} {verb}: now {unit.State}{outcome}");
        }

        return ExitCodeOf(reviewed);
    }

    /// <summary>
    /// 0 only when every unit reached what was asked; a release that met a FHIR outage waits (its unit is retried by
    /// itself, exit 3), one that did not write for another reason (held again, refused by FHIR, taken by another delivery) exits 2.
    /// </summary>
    private static int ExitCodeOf(IReadOnlyList<ReviewedUnit> reviewed)
    {
        if (reviewed.Any(u => u.Outcome == WorkOutcome.Waiting)) return ExitCodes.ServiceFailed;
        return reviewed.All(u => u.Outcome is null or WorkOutcome.Completed or WorkOutcome.AlreadyCompleted)
            ? ExitOk
            : ExitCodes.Rejected;
    }
}
