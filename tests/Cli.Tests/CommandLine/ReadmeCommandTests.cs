using System.CommandLine;
using System.IO.Compression;
using System.Text.RegularExpressions;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>
/// The README cannot drift from the program: every <c>pmed</c> command of its code blocks runs through the entry point,
/// against this test's local stack (the README's local ports, keys and <c>UseDevelopmentStorage=true</c> replaced by
/// the stack's, <c>--out</c> by a temporary folder, a ClinVar download by the seed's slice), and exits 0; those that
/// need Azure (an Azure URL or a <c>&lt;placeholder&gt;</c>) must parse without error. Every inline synopsis names a
/// real command and only options it has.
/// </summary>
[Trait("Tier", "Stack")]
[Collection(nameof(ProcessEnvironment))]
public sealed partial class ReadmeCommandTests(LocalStackFixture stack) : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pmed-readme-");

    public static TheoryData<int> CommandLines() => new(ReadmeCommands.InCodeBlocks().Select(c => c.Line));

    [Fact]
    public void Readme_ShowsEveryCommand()
    {
        var shown = ReadmeCommands.InCodeBlocks().Select(c => Root().Parse(c.Args).CommandResult.Command.Name).ToHashSet();

        Assert.Superset(new HashSet<string> { "pmed", "ingest", "import", "status", "replay", "list" }, shown);
    }

    [Theory]
    [MemberData(nameof(CommandLines))]
    public async Task ReadmeCommand_RunsOnTheLocalStackOrParsesForAzure(int line)
    {
        var command = ReadmeCommands.InCodeBlocks().Single(c => c.Line == line);

        if (NeedsAzure(command))
        {
            var parse = Root().Parse([.. command.Args.Select(a => Placeholder().Replace(a, "example"))]);
            Assert.True(parse.Errors.Count == 0, $"{command}: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
            return;
        }

        var environment = command.Environment.ToDictionary(v => v.Key, v => (string?)Local(v.Value));
        // pmed validate takes the IG packages from the test's npm install (a user's first run installs them from the registry).
        environment.TryAdd("PMED_FHIR_PACKAGES", Path.Combine(RepositoryPaths.Root, "tests", "fhir-packages", "node_modules"));
        using var _ = ProcessEnvironment.Set(environment);
        var args = command.Args.Select(Local).ToArray();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--out" && i + 1 < args.Length) args[i + 1] = Path.Combine(_work.FullName, args[i + 1]);
        }

        if (args[0] == "validate") args = await WithIngestOutputAsync(args);
        if (args[0] == "serve")
        {
            await ServeAndStopAsync(command, args);
            return;
        }

        var run = await Pmed.RunAsync(args);

        Assert.True(run.Exit == 0, $"{command}\n{run}");
    }

    /// <summary>
    /// <c>pmed serve</c> runs until Ctrl+C: started as a shell starts it (on any free port instead of the README's), asked
    /// for its health over HTTP, then stopped with SIGINT, which must end it with 0.
    /// </summary>
    private static async Task ServeAndStopAsync(ReadmeCommand command, string[] args)
    {
        var port = Array.IndexOf(args, "--port");
        if (port >= 0) args[port + 1] = "0";
        await using var server = await PmedServer.StartAsync(args[1..]);
        var health = await server.Http.GetAsync("health", TestContext.Current.CancellationToken);
        var run = await server.StopAsync();

        Assert.True(health.IsSuccessStatusCode, $"{command}: GET /api/health answered {(int)health.StatusCode}");
        Assert.True(run.Exit == 0, $"{command}\n{run}");
    }

    /// <summary>
    /// The README validates what its main job wrote (<c>validate out</c>): a folder argument that does not exist is made
    /// as the main job makes it, <c>pmed ingest samples --out</c> into the test's folder.
    /// </summary>
    private async Task<string[]> WithIngestOutputAsync(string[] args)
    {
        var result = args.ToArray();
        for (var i = 1; i < result.Length; i++)
        {
            if (result[i].StartsWith('-') || File.Exists(result[i]) || Directory.Exists(result[i])) continue;
            var output = Path.Combine(_work.FullName, "validate-" + i, result[i]);
            var ingest = await Pmed.RunAsync(["ingest", Path.Combine(RepositoryPaths.Root, "samples"), "--out", output]);
            Assert.True(ingest.Exit == 0, $"ingest samples for {string.Join(' ', args)}\n{ingest}");
            result[i] = output;
        }

        return result;
    }

    [Fact]
    public void ReadmeSynopses_NameRealCommandsAndOptions()
    {
        var root = Root();
        var problems = new List<string>();
        foreach (var (line, text) in ReadmeCommands.Synopses())
        {
            var command = root;
            foreach (var word in text.Split(' ').Skip(1))
            {
                if (command.Subcommands.FirstOrDefault(c => c.Name == word) is not { } sub) break;
                command = sub;
            }

            var options = command.Options.Concat(root.Options.Where(o => o.Recursive)).Select(o => o.Name).ToHashSet();
            problems.AddRange(OptionName().Matches(text).Select(m => m.Value).Where(o => !options.Contains(o))
                .Select(o => $"README.md:{line}: `{text}`: {command.Name} has no option {o}"));
        }

        Assert.True(ReadmeCommands.Synopses().Count >= 5, "the README's inline pmed synopses were not found");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    public void Dispose() => _work.Delete(recursive: true);

    private static bool NeedsAzure(ReadmeCommand command) =>
        command.Args.Concat(command.Environment.Values).Any(a =>
            a.Contains(".azure.com", StringComparison.OrdinalIgnoreCase) || a.Contains(".windows.net", StringComparison.OrdinalIgnoreCase)
            || a.Contains('<', StringComparison.Ordinal));

    /// <summary>A README word as it must be for this test's stack: its URLs and keys, a repository path made absolute.</summary>
    private string Local(string word)
    {
        word = word
            .Replace("UseDevelopmentStorage=true", stack.Stack.AzuriteConnectionString, StringComparison.Ordinal)
            .Replace("http://127.0.0.1:8081/", stack.Stack.CosmosEndpoint.ToString(), StringComparison.Ordinal)
            .Replace("http://127.0.0.1:8080/", stack.Stack.FhirBaseUrl.ToString(), StringComparison.Ordinal);
        if (word == "KEY") return stack.Stack.CosmosKey;
        if (word == "variant_summary.txt.gz") return ClinVarDownload();
        var inRepository = Path.Combine(RepositoryPaths.Root, word);
        return !Path.IsPathRooted(word) && word.Length > 0 && !word.StartsWith('-') && (File.Exists(inRepository) || Directory.Exists(inRepository))
            ? inRepository
            : word;
    }

    /// <summary>The README's ClinVar download (<c>variant_summary.txt.gz</c>), stood in for by the seed's slice, gzipped.</summary>
    private string ClinVarDownload()
    {
        var path = Path.Combine(_work.FullName, "variant_summary.txt.gz");
        if (File.Exists(path)) return path;
        using var source = File.OpenRead(Path.Combine(RepositoryPaths.Root, "src", "Core", "Knowledge", "Seed", "clinvar_variant_summary.slice.txt"));
        using var target = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        source.CopyTo(target);
        return path;
    }

    private static Command Root() => PmedCommandLine.CreateRoot(TextWriter.Null, TextWriter.Null);

    /// <summary>A <c>&lt;placeholder&gt;</c> the reader fills in.</summary>
    [GeneratedRegex("<[^<>]+>")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"--[a-z][a-z-]*")]
    private static partial Regex OptionName();
}
