using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using PrecisionMed.Cli.Index;
using PrecisionMed.Cli.Ingest;
using PrecisionMed.Cli.Knowledge;
using PrecisionMed.Cli.Ledger;
using PrecisionMed.Cli.Review;
using PrecisionMed.Cli.Serve;
using PrecisionMed.Cli.Validate;

namespace PrecisionMed.Cli.CommandLine;

/// <summary>
/// <c>pmed</c> as a shell reaches it: the root command with every command, writing to the given streams, and the
/// one place where what escapes a command becomes one line and an exit code (<see cref="ExitCodes"/>).
/// <c>Program.cs</c> calls <see cref="RunAsync"/> with the console; tests call it with string writers.
/// </summary>
internal static class PmedCommandLine
{
    public const string Name = "pmed";

    private const string VerboseName = "--verbose";

    /// <summary>Every command, each writing to <paramref name="stdout"/> and <paramref name="stderr"/>. New commands are added here.</summary>
    public static Command CreateRoot(TextWriter stdout, TextWriter stderr)
    {
        // A plain command named pmed rather than RootCommand, whose name is the host executable's (testhost, dotnet).
        var root = new Command(Name, "PrecisionMed Serverless from the command line. Lab files in, Genomics IG FHIR out. " + ExitCodes.Summary)
        {
            new HelpOption(),
            new VersionOption(),
            new Option<bool>(VerboseName) { Description = "On a failure, also print the exception's type and stack.", Recursive = true },
            IndexCommand.Create(stdout, stderr),
            IngestCommand.Create(stdout, stderr),
            KnowledgeCommand.Create(stdout, stderr),
            LedgerCommands.Status(stdout, stderr),
            LedgerCommands.Replay(stdout, stderr),
            ReviewCommand.Create(stdout, stderr),
            ServeCommand.Create(stdout, stderr),
            ValidateCommand.Create(stdout, stderr),
        };
        ValueParsers.AddTo(root);
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var parse = CreateRoot(stdout, stderr).Parse(args);
        if (parse.Action is ParseErrorAction) return await UsageErrorAsync(parse, stderr);

        var invocation = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        try
        {
            return await parse.InvokeAsync(invocation, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync($"{Name}: cancelled");
            return ExitCodes.Cancelled;
        }
        catch (Exception ex)
        {
            var failure = CommandFailure.Of(ex, ServiceEndpoint.Of(parse));
            await stderr.WriteLineAsync($"{Name}: {failure.Message}");
            if (parse.GetValue<bool>(VerboseName)) await stderr.WriteLineAsync(ex.ToString());
            return failure.ExitCode;
        }
    }

    private static async Task<int> UsageErrorAsync(ParseResult parse, TextWriter stderr)
    {
        // System.CommandLine reports each missing argument as "Required argument missing for command: 'import'.", naming
        // the command once per argument and never the argument: one line naming them replaces those.
        var missing = parse.Errors.Select(e => e.SymbolResult).OfType<ArgumentResult>()
            .Where(a => a.Parent is CommandResult && a.Tokens.Count < a.Argument.Arity.MinimumNumberOfValues)
            .Select(a => a.Argument).Distinct().ToList();
        if (missing.Count > 0)
        {
            var usage = string.Join(' ', [CommandPath(parse.CommandResult), .. parse.CommandResult.Command.Arguments.Select(a => $"<{a.Name}>")]);
            await stderr.WriteLineAsync($"{Name}: missing {(missing.Count == 1 ? "argument" : "arguments")} {string.Join(" and ", missing.Select(a => $"'{a.Name}'"))} ({usage})");
        }

        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var error in parse.Errors.Where(e => e.SymbolResult is not ArgumentResult a || !missing.Contains(a.Argument)))
            if (reported.Add(error.Message)) await stderr.WriteLineAsync($"{Name}: {error.Message}");
        await stderr.WriteLineAsync($"See '{CommandPath(parse.CommandResult)} --help'.");
        return ExitCodes.Usage;
    }

    private static string CommandPath(CommandResult command) =>
        command.Parent is CommandResult parent ? $"{CommandPath(parent)} {command.Command.Name}" : command.Command.Name;
}
