using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Core.Cds;
using PrecisionMed.Core.Cds.Feedback;
using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Cli.Ledger;

/// <summary>Runs <c>pmed status</c>: one file, or a listing (one page, or <c>--all</c>); or the CDS Hooks feedback counts (<c>--cds-feedback</c>).</summary>
internal sealed class StatusRunner(StatusOptions options, TextWriter stdout, TextWriter stderr)
{
    public const int ExitOk = ExitCodes.Ok;
    public const int ExitUsage = ExitCodes.Usage;
    public const int ExitNotFound = ExitCodes.Rejected;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (options.PageSize is < 1 or > LabFileStatusReader.MaxPageSize)
        {
            await stderr.WriteLineAsync($"pmed status: --page-size must be from 1 to {LabFileStatusReader.MaxPageSize}");
            return ExitUsage;
        }

        await using var services = options.Connection.BuildServices();
        if (AppServices.SettingsProblem(services) is { } problem)
        {
            await stderr.WriteLineAsync($"pmed status: {problem}");
            return ExitUsage;
        }

        if (options.CdsFeedback)
        {
            var counts = await services.GetRequiredService<ICdsFeedbackStore>().CountAsync([.. CdsServiceCatalog.Services.Select(s => s.Id)], cancellationToken);
            await stdout.WriteAsync(options.Json
                ? JsonSerializer.Serialize(new { Feedback = counts }, LedgerOutput.Json) + Environment.NewLine
                : LedgerOutput.CdsFeedback(counts) + $"{counts.Sum(c => c.Count)} feedback outcome(s)" + Environment.NewLine);
            return ExitOk;
        }

        var reader = services.GetRequiredService<LabFileStatusReader>();
        if (options.FileId is { } fileId)
        {
            var status = await reader.ReadAsync(fileId, cancellationToken);
            if (status is null)
            {
                await stderr.WriteLineAsync($"pmed status: no file with id {fileId} is in the ledger");
                return ExitNotFound;
            }

            // The summary rather than the raw record: no blob name, which labs fill with patient names.
            var json = new { File = LabFileSummary.Of(status.File, status.Units), status.Units, status.File.History };
            await stdout.WriteAsync(options.Json ? JsonSerializer.Serialize(json, LedgerOutput.Json) + Environment.NewLine : LedgerOutput.File(status));
            return ExitOk;
        }

        var files = new List<LabFileSummary>();
        var continuation = options.Continuation;
        do
        {
            var page = await reader.ListAsync(options.State, options.PageSize, continuation, cancellationToken);
            files.AddRange(page.Files);
            continuation = page.Continuation;
        }
        while (options.All && continuation is not null);

        if (options.Json)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(new LabFileStatusPage(files, continuation), LedgerOutput.Json));
            return ExitOk;
        }

        await stdout.WriteAsync(LedgerOutput.Files(files));
        var scope = options.State is null ? "file(s)" : $"{options.State} file(s)";
        await stdout.WriteLineAsync(continuation is null
            ? $"{files.Count} {scope}"
            : $"{files.Count} {scope} on this page; more with --continuation '{continuation}' (or --all)");
        return ExitOk;
    }
}
