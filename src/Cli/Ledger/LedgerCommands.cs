using System.CommandLine;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Cli.Ledger;

/// <summary>
/// <c>pmed status [FILE_ID] [--state S] [--json] [--cds-feedback]</c> and <c>pmed replay FILE_ID|--failed [--reason TEXT]</c> against the
/// app's ledger (Cosmos DB) and work queue (Storage Queue).
/// </summary>
internal static class LedgerCommands
{
    public static Command Status(TextWriter stdout, TextWriter stderr)
    {
        var fileId = new Argument<string?>("file-id") { Description = "One file's ledger record and units. Without it: the files, a page at a time.", Arity = ArgumentArity.ZeroOrOne };
        UnknownOptions.RefuseIn(fileId);
        var state = ChoiceOption.CreateOptional<FileState>("--state", "Only files in this state: " + string.Join(", ", Enum.GetNames<FileState>()) + ".");
        var pageSize = new Option<int>("--page-size") { Description = "Files per page.", DefaultValueFactory = _ => LabFileStatusReader.DefaultPageSize };
        var continuation = new Option<string?>("--continuation") { Description = "Where the next page starts (printed after a page)." };
        var all = new Option<bool>("--all") { Description = "Every page, not just the first." };
        var json = new Option<bool>("--json") { Description = "Machine-readable output." };
        var cdsFeedback = new Option<bool>("--cds-feedback")
        {
            Description = "The CDS Hooks feedback counts instead (ordering governance): cards accepted and overridden by service, card kind, outcome and override reason. Counts only, no patient.",
        };
        var connection = LedgerConnectionOptions.Create(withStorage: false);
        var command = new Command("status", "What the ledger says: one file and its units, or the files (by state) with their units counted; or the CDS Hooks feedback counts.")
        {
            fileId, state, pageSize, continuation, all, json, cdsFeedback,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(cdsFeedback) && (result.GetValue(fileId) is not null || result.GetValue(state) is not null || result.GetValue(all) || result.GetValue(continuation) is not null))
                result.AddError("--cds-feedback lists the feedback counts; it takes no file id, --state, --all or --continuation.");
        });
        connection.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var options = new StatusOptions(
                connection.Read(parse), parse.GetValue(fileId), parse.GetValue(state), parse.GetValue(pageSize), parse.GetValue(continuation),
                parse.GetValue(all), parse.GetValue(json), parse.GetValue(cdsFeedback));
            return new StatusRunner(options, stdout, stderr).RunAsync(cancellationToken);
        });
        return command;
    }

    public static Command Replay(TextWriter stdout, TextWriter stderr)
    {
        var fileId = new Argument<string?>("file-id") { Description = "The file whose failed units to re-drive.", Arity = ArgumentArity.ZeroOrOne };
        UnknownOptions.RefuseIn(fileId);
        var failed = new Option<bool>("--failed") { Description = "Every file with a failed unit." };
        var reason = new Option<string?>("--reason") { Description = "Why, kept in each unit's history (e.g. a ticket number; never PHI)." };
        var json = new Option<bool>("--json") { Description = "Machine-readable output." };
        var connection = LedgerConnectionOptions.Create(withStorage: true);
        var command = new Command(
            "replay",
            $"Re-drive failed units: reset in the ledger (counted: at most Pipeline:MaxReplays = {new PipelineOptions().MaxReplays} per unit) and queued again.")
        {
            fileId, failed, reason, json,
        };
        connection.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var options = new ReplayOptions(connection.Read(parse), parse.GetValue(fileId), parse.GetValue(failed), parse.GetValue(reason), parse.GetValue(json));
            return new ReplayRunner(options, stdout, stderr).RunAsync(cancellationToken);
        });
        return command;
    }
}

internal sealed record StatusOptions(LedgerConnection Connection, string? FileId, FileState? State, int PageSize, string? Continuation, bool All, bool Json, bool CdsFeedback = false);

internal sealed record ReplayOptions(LedgerConnection Connection, string? FileId, bool Failed, string? Reason, bool Json);
