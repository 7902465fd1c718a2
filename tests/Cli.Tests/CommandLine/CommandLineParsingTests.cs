using System.CommandLine;
using System.CommandLine.Help;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.Pipeline.Ledger;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>
/// Every command and option of <c>pmed</c> parsed as a shell hands them over (strings), and every wrong value refused
/// with one line naming the option and exit 1, before any service is called.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class CommandLineParsingTests
{
    private const string Url = "http://127.0.0.1:8081/";

    /// <summary>A well-formed (base64) account key, as the emulator's is.</summary>
    private const string Key = "c2VjcmV0LWtleQ==";

    private static string Bed => Path.Combine(RepositoryPaths.Root, "bench", "data", "panel-grch38.bed");

    /// <summary>One command line per command using every option it has, as typed in a shell.</summary>
    private static readonly string[][] Examples =
    [
        ["ingest", "samples", "more-samples", "--out", "out", "--fhir", "http://127.0.0.1:8080/", "--lab", "lab-a", "--json", "--cosmos", Url,
            "--cosmos-key", Key, "--database", "db", "--genome-build", "GRCh37", "--source-class", "somatic", "--sample-sex", "Male",
            "--regions", Bed, "--gene", "BRCA2", "--gene", "APC", "--known-only", "--all-filters", "--max-variants", "50", "--verbose",
            "--validate", "--packages", "packages", "--registry", "http://127.0.0.1:4873/"],
        ["knowledge", "import", "clinvar", "variant_summary.txt.gz", "--cosmos", Url, "--cosmos-key", Key, "--database", "db", "--concurrency", "4"],
        ["status", "file-1", "--state", "failed", "--page-size", "10", "--continuation", "token", "--all", "--json", "--cosmos", Url,
            "--cosmos-key", Key, "--database", "db"],
        ["status", "--cds-feedback", "--json", "--cosmos", Url, "--cosmos-key", Key, "--database", "db"],
        ["replay", "--failed", "--reason", "ticket 42", "--json", "--cosmos", "https://acct.documents.azure.com:443/", "--database", "db",
            "--storage", "https://lab.queue.core.windows.net/", "--queue", "work"],
        ["replay", "file-1", "--cosmos", Url, "--cosmos-key", Key, "--storage", "UseDevelopmentStorage=true"],
        ["review", "list"],
        ["review", "release", "file-1", "--unit", "2"],
        ["review", "reject", "file-1", "--unit", "1", "--reason", "MRN belongs to another patient"],
        ["validate", "out", "more-out", "--packages", "packages", "--registry", "http://127.0.0.1:4873/", "--warnings", "--json"],
        ["validate", "out", "--quiet"],
        ["index", "rebuild", "--patient", "Patient/123", "--fhir", "http://127.0.0.1:8080/", "--cosmos", Url, "--cosmos-key", Key, "--database", "db"],
        ["serve", "--port", "0", "--fhir", "http://127.0.0.1:8080/", "--cosmos", Url, "--cosmos-key", Key, "--database", "db",
            "--storage", "UseDevelopmentStorage=true", "--queue", "work", "--cors-origin", "https://sandbox.cds-hooks.org", "--cors-origin", "*"],
        ["serve", "--cosmos", Url, "--storage", "UseDevelopmentStorage=true",
            "--auth-authority", "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0", "--auth-audience", "api://precisionmed"],
        ["ingest", "pgx.vcf", "--patient", "urn:oid:2.16.840.1.113883.19.5|MRN-1", "--accession", "PGX-1"],
        ["knowledge", "diff", "from.vcf.gz", "to.vcf.gz", "--source", "clinvar", "--json", "--cosmos", Url, "--cosmos-key", Key, "--database", "db"],
        ["knowledge", "reinterpret", "--since", "kv-0123456789ab", "--dry-run", "--max", "10", "--cosmos", Url, "--cosmos-key", Key, "--database", "db",
            "--storage", "UseDevelopmentStorage=true", "--queue", "lab-reports"],
        ["knowledge", "reinterpret", "--replay-poisoned", "--run", "reinterpret-0123456789ab", "--reason", "ticket OPS-9", "--cosmos", Url, "--storage", "UseDevelopmentStorage=true"],
    ];

    public static TheoryData<string[]> EveryOptionOfEveryCommand() => new(Examples);

    [Theory]
    [MemberData(nameof(EveryOptionOfEveryCommand))]
    public void Parse_EveryOptionAsTyped_NoErrors(string[] args)
    {
        var parse = Root().Parse(args);

        Assert.True(parse.Errors.Count == 0, string.Join("; ", parse.Errors.Select(e => e.Message)));
    }

    [Fact]
    public void Parse_TypedValues_AreTheValuesMeant()
    {
        var ingest = Root().Parse(Examples[0]);
        var status = Root().Parse(Examples[2]);

        Assert.Equal(new Uri("http://127.0.0.1:8080/"), ingest.GetValue<Uri?>("--fhir"));
        Assert.Equal(new Uri(Url), ingest.GetValue<Uri?>("--cosmos"));
        Assert.Equal(SampleSex.Male, ingest.GetValue<SampleSex>("--sample-sex"));
        Assert.Equal(Bed, ingest.GetValue<FileInfo>("--regions")!.FullName);
        Assert.Equal("out", ingest.GetValue<DirectoryInfo>("--out")!.Name);
        Assert.Equal(50, ingest.GetValue<int>("--max-variants"));
        Assert.Equal(["BRCA2", "APC"], ingest.GetValue<string[]>("--gene")!);
        Assert.Equal(FileState.Failed, status.GetValue<FileState?>("--state"));
        Assert.Equal(10, status.GetValue<int>("--page-size"));
    }

    [Fact]
    public void EveryOptionInTheCommandTree_IsUsedByAnExampleThatParses()
    {
        var used = Examples
            .SelectMany(row => Root().Parse(row) is var parse && parse.Errors.Count == 0
                ? parse.CommandResult.Children.OfType<System.CommandLine.Parsing.OptionResult>().Select(o => $"{CommandPath(parse.CommandResult.Command)} {o.Option.Name}")
                : [])
            .ToHashSet(StringComparer.Ordinal);

        var missing = Commands(Root()).SelectMany(c => c.Options.Where(o => o is not HelpOption and not VersionOption && !o.Recursive)
                .Select(o => $"{CommandPath(c)} {o.Name}"))
            .Where(o => !used.Contains(o)).ToList();

        Assert.True(missing.Count == 0, "options no test types: " + string.Join(", ", missing));
    }

    [Theory]
    [InlineData("--fhir", "x", "ingest", "samples")]
    [InlineData("--fhir", "127.0.0.1:8080", "ingest", "samples")]
    [InlineData("--fhir", "/fhir", "ingest", "samples")]
    [InlineData("--cosmos", "ftp://127.0.0.1/", "ingest", "samples")]
    [InlineData("--cosmos", "localhost", "knowledge", "import", "clinvar", "file.txt")]
    [InlineData("--cosmos", "x", "status")]
    [InlineData("--cosmos", "x", "replay", "file-1")]
    public async Task UrlOption_NotAnAbsoluteHttpUrl_ExitsOneWithTheMessage(string option, string value, params string[] command)
    {
        var run = await Pmed.RunAsync([.. command, option, value]);

        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.Equal($"pmed: {option}: '{value}' is not an absolute http(s) URL", run.StderrLines[0]);
        AssertNoStack(run);
    }

    [Theory]
    [InlineData("pmed: --sample-sex: 'boy' is not one of unknown, male, female", "ingest", "samples", "--sample-sex", "boy")]
    [InlineData("pmed: --sample-sex: '1' is not one of unknown, male, female", "ingest", "samples", "--sample-sex", "1")]
    [InlineData("pmed: --state: 'broken' is not one of", "status", "--cosmos", Url, "--state", "broken")]
    [InlineData("pmed: --max-variants: 'many' is not a whole number", "ingest", "samples", "--max-variants", "many")]
    [InlineData("pmed: --concurrency: 'x' is not a whole number", "knowledge", "import", "clinvar", "f.txt", "--concurrency", "x")]
    [InlineData("pmed: --page-size: 'ten' is not a whole number", "status", "--cosmos", Url, "--page-size", "ten")]
    [InlineData("pmed: --cds-feedback lists the feedback counts; it takes no file id, --state, --all or --continuation.", "status", "file-1", "--cds-feedback", "--cosmos", Url)]
    [InlineData("pmed: --unit: 'one' is not a unit number (they count from 1)", "review", "release", "file-1", "--unit", "one")]
    [InlineData("pmed: --unit: '0' is not a unit number (they count from 1)", "review", "release", "file-1", "--unit", "0")]
    [InlineData("pmed: Unrecognized command or argument '--bogus'.", "status", "--bogus", "--cosmos", Url)]
    [InlineData("pmed: Unrecognized command or argument '--bogus'.", "review", "reject", "--bogus", "--reason", "r")]
    [InlineData("pmed: --regions /no/such/panel.bed: no such file", "ingest", "samples", "--regions", "/no/such/panel.bed")]
    [InlineData("'omim'", "knowledge", "import", "omim", "f.txt")]
    [InlineData("pmed: Option '--cosmos' is required.", "status")]
    [InlineData("pmed: Option '--reason' is required.", "review", "reject", "file-1")]
    [InlineData("pmed: missing argument 'path' (pmed ingest <path>)", "ingest")]
    [InlineData("pmed: Unrecognized command or argument '--bogus'.", "ingest", "samples", "--bogus")]
    [InlineData("pmed: Required command was not provided.")]
    [InlineData("pmed: --cosmos-key: the value is not a base64 account key", "status", "--cosmos", Url, "--cosmos-key", "not-a-key!")]
    [InlineData("pmed: --cosmos-key: the value is not a base64 account key", "ingest", "samples", "--cosmos", Url, "--cosmos-key", "KEY")]
    [InlineData("pmed: --cosmos-key: the value is not a base64 account key", "knowledge", "import", "clinvar", "f.txt", "--cosmos-key", "abc")]
    [InlineData("pmed: --port: '' is not a whole number", "serve", "--cosmos", Url, "--port", "")]
    [InlineData("pmed: --port: 'x' is not a whole number", "serve", "--cosmos", Url, "--port", "x")]
    [InlineData("pmed: --port must be a number from 0 to 65535.", "serve", "--cosmos", Url, "--port", "70000")]
    [InlineData("pmed: --lab: '' is not a plain lab id", "ingest", "samples", "--lab", "")]
    [InlineData("pmed: --lab: ' ' is not a plain lab id", "ingest", "samples", "--lab", " ")]
    [InlineData("pmed: --lab: 'a/b' is not a plain lab id", "ingest", "samples", "--lab", "a/b")]
    [InlineData("pmed: --gene: '' is not a gene symbol", "ingest", "samples", "--gene", "")]
    [InlineData("pmed: --gene: 'NOTAGENE!' is not a gene symbol", "ingest", "samples", "--gene", "BRCA2", "--gene", "NOTAGENE!")]
    [InlineData("pmed: --patient: not a FHIR Patient id", "index", "rebuild", "--patient", "x&_id=y", "--fhir", "http://127.0.0.1:8080/", "--cosmos", Url)]
    [InlineData("pmed: --patient: not a FHIR Patient id", "index", "rebuild", "--patient", "../../x", "--fhir", "http://127.0.0.1:8080/", "--cosmos", Url)]
    [InlineData("pmed: --patient: not a FHIR Patient id", "index", "rebuild", "--patient", "Observation/x", "--fhir", "http://127.0.0.1:8080/", "--cosmos", Url)]
    [InlineData("pmed: --patient: not a FHIR Patient id", "index", "rebuild", "--patient", "", "--fhir", "http://127.0.0.1:8080/", "--cosmos", Url)]
    public async Task BadCommandLine_ExitsOneNamingTheProblem(string expected, params string[] args)
    {
        var run = await Pmed.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.Contains(expected, run.StderrLines[0], StringComparison.Ordinal);
        Assert.StartsWith("See 'pmed", run.StderrLines[^1], StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
        AssertNoStack(run);
    }

    [Theory]
    [InlineData("pmed knowledge import: path: empty; name a file", "knowledge", "import", "clinvar", "")]
    [InlineData("pmed knowledge import: path: empty; name a file, folder or zip", "knowledge", "import", "pharmcat-guidelines", " ")]
    [InlineData("pmed knowledge diff: from: empty; name a file", "knowledge", "diff", "", "to.txt")]
    public async Task EmptyPath_ExitsOneNamingIt(string expected, params string[] args)
    {
        var run = await Pmed.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.Equal(expected, run.StderrLines[0]);
        AssertNoStack(run);
    }

    public static TheoryData<string> EveryCommandPath() => [.. Commands(Root()).Select(CommandPath)];

    [Theory]
    [MemberData(nameof(EveryCommandPath))]
    public async Task Help_EveryCommand_ExitsZeroShowingItsUsageAndEveryOption(string path)
    {
        var words = path.Split(' ')[1..];

        var run = await Pmed.RunAsync([.. words, "--help"]);

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Contains("Usage:", run.Stdout, StringComparison.Ordinal);
        Assert.Contains(path, run.Stdout, StringComparison.Ordinal);
        var command = Commands(Root()).Single(c => CommandPath(c) == path);
        Assert.All(command.Options.Where(o => !o.Hidden), o => Assert.Contains(o.Name, run.Stdout, StringComparison.Ordinal));
        Assert.All(command.Subcommands, c => Assert.Contains(c.Name, run.Stdout, StringComparison.Ordinal));
        Assert.Empty(run.Stderr);
    }

    [Fact]
    public async Task Help_Root_DocumentsTheExitCodes()
    {
        var run = await Pmed.RunAsync("--help");

        Assert.Contains("Exit codes: 0 done; 1 usage", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("--verbose", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_ExitsZero()
    {
        var run = await Pmed.RunAsync("--version");

        Assert.Equal(0, run.Exit);
        Assert.NotEmpty(run.Stdout.Trim());
    }

    internal static void AssertNoStack(PmedRun run)
    {
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.Stderr, StringComparison.Ordinal);
    }

    private static Command Root() => PmedCommandLine.CreateRoot(TextWriter.Null, TextWriter.Null);

    private static IEnumerable<Command> Commands(Command command) => [command, .. command.Subcommands.SelectMany(Commands)];

    private static string CommandPath(Command command) =>
        command.Parents.OfType<Command>().FirstOrDefault() is { } parent ? $"{CommandPath(parent)} {command.Name}" : command.Name;
}
