using System.CommandLine;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Core.Knowledge.Import;

namespace PrecisionMed.Cli.Knowledge;

/// <summary><c>pmed knowledge import SOURCE PATH [--cosmos URL] [--cosmos-key KEY] [--database NAME] [--concurrency N]</c>.</summary>
internal static class KnowledgeCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var source = new Argument<string>("source")
        {
            Description = "What the file is: " + string.Join(", ", KnowledgeSources.ByName.Keys) + ".",
        };
        source.AcceptOnlyFromAmong([.. KnowledgeSources.ByName.Keys]);
        var file = new Argument<string>("path")
        {
            Description = "The source file (plain or gzip), read as a stream; for pharmcat-guidelines and cpic-alerts, a folder of the files or a zip of them; for rxnorm, the release's rrf folder (RXNCONSO.RRF and RXNREL.RRF) or a zip of it.",
        };
        UnknownOptions.RefuseIn(file);
        var cosmos = new UrlOption(
            "--cosmos", ServiceEndpoint.Cosmos, "The Cosmos DB account endpoint to import into. Without it the file is read and counted only (a dry run).");
        var key = new CosmosKeyOption("The emulator's key (local stacks only; in Azure the signed-in identity is used).");
        var database = new Option<string>("--database") { Description = "The database.", DefaultValueFactory = _ => "precisionmed" };
        var concurrency = new Option<int>("--concurrency") { Description = "Upserts in flight at once.", DefaultValueFactory = _ => 16 };

        var import = new Command("import", "Import a knowledge source file: streamed, idempotent (a re-import writes nothing), with progress and a final count.")
        {
            source, file, cosmos, key, database, concurrency,
        };
        key.CheckEnvironmentIn(import);
        import.SetAction((parse, cancellationToken) =>
        {
            var options = new KnowledgeImportOptions(
                KnowledgeSources.ByName[parse.GetValue(source)!],
                parse.GetValue(file)!,
                parse.GetValue(cosmos),
                key.ValueOrEnvironment(parse),
                parse.GetValue(database)!,
                parse.GetValue(concurrency));
            return new KnowledgeImportRunner(options, stdout, stderr).RunAsync(cancellationToken);
        });

        return new Command("knowledge", "The clinical-genomic knowledge store.") { import, Diff(stdout, stderr), Reinterpret(stdout, stderr) };
    }

    /// <summary><c>pmed knowledge reinterpret [--since VERSION] [--dry-run] [--max N] --cosmos URL [--storage CONN]</c>.</summary>
    private static Command Reinterpret(TextWriter stdout, TextWriter stderr)
    {
        var since = new Option<string?>("--since") { Description = "The knowledge version reports were last reinterpreted at: every diff stored after it. Default: the last diff." };
        var dryRun = new Option<bool>("--dry-run") { Description = "List the diffs and affected reports; queue nothing." };
        var max = new Option<int?>("--max") { Description = "Queue at most N reports this run (also bounded by Reinterpretation__MaxReportsPerRun)." };
        var replay = new Option<bool>("--replay-poisoned")
        {
            Description = "Instead of a new run: queue again every reinterpretation recorded Failed (poisoned or given up), of --run or of every recorded run; at most Pipeline__MaxReplays times each.",
        };
        var run = new Option<string?>("--run") { Description = "With --replay-poisoned: only this run (its id, as pmed knowledge reinterpret and GET /api/reinterpretations print it)." };
        var reason = new Option<string?>("--reason") { Description = "With --replay-poisoned: why, recorded in each item's history (no patient data)." };
        var connection = Ledger.LedgerConnectionOptions.Create(withStorage: true);
        var command = new Command("reinterpret", "Queue one reinterpretation per report a stored knowledge diff affects, capped per run and spread at Reinterpretation__ReportsPerMinute.")
        {
            since, dryRun, max, replay, run, reason,
        };
        connection.AddTo(command);
        command.SetAction((parse, cancellationToken) => new KnowledgeReinterpretRunner(
            connection.Read(parse), parse.GetValue(since), parse.GetValue(dryRun), parse.GetValue(max), stdout, stderr)
        {
            Replay = parse.GetValue(replay) ? new ReinterpretReplayRequest(parse.GetValue(run), parse.GetValue(reason)) : null,
        }.RunAsync(cancellationToken));
        return command;
    }

    /// <summary><c>pmed knowledge diff FROM TO [--source clinvar|pharmcat-guidelines] [--json]</c>.</summary>
    private static Command Diff(TextWriter stdout, TextWriter stderr)
    {
        var from = new Argument<string>("from") { Description = "The release the store holds (a file; for pharmcat-guidelines a folder or zip)." };
        var to = new Argument<string>("to") { Description = "The release an import would bring." };
        UnknownOptions.RefuseIn(from);
        UnknownOptions.RefuseIn(to);
        var source = new Option<string>("--source")
        {
            Description = "What the files are: clinvar (variant_summary or the VCF release) or pharmcat-guidelines.",
            DefaultValueFactory = _ => "clinvar",
        };
        source.AcceptOnlyFromAmong("clinvar", "pharmcat-guidelines");
        var json = new Option<bool>("--json") { Description = "The diff as JSON: every change with its old and new value, dates and impact." };
        var cosmos = new UrlOption(
            "--cosmos", ServiceEndpoint.Cosmos, "The Cosmos DB account whose genomic index names the reports each change affects (read only). Without it, no reports are looked for.");
        var key = new CosmosKeyOption("The emulator's key (local stacks only; in Azure the signed-in identity is used).");
        var database = new Option<string>("--database") { Description = "The database.", DefaultValueFactory = _ => "precisionmed" };
        var diff = new Command("diff", "What importing TO would change where FROM is stored: classifications and recommendations added, changed, removed, with their impact and, with --cosmos, the reports they affect. Writes nothing.")
        {
            from, to, source, json, cosmos, key, database,
        };
        key.CheckEnvironmentIn(diff);
        diff.SetAction((parse, cancellationToken) => new KnowledgeDiffRunner(
            new KnowledgeDiffCommandOptions(KnowledgeSources.ByName[parse.GetValue(source)!], parse.GetValue(from)!, parse.GetValue(to)!, parse.GetValue(json))
            {
                Index = parse.GetValue(cosmos) is { } endpoint ? new Ledger.LedgerConnection(endpoint, key.ValueOrEnvironment(parse), parse.GetValue(database)!, null, "lab-reports") : null,
            },
            stdout,
            stderr).RunAsync(cancellationToken));
        return diff;
    }
}

internal sealed record KnowledgeImportOptions(
    KnowledgeSource Source, string Path, Uri? Cosmos, string? CosmosKey, string Database, int Concurrency);
