using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary><c>pmed knowledge import</c> through the command line: a dry run, into the Cosmos emulator, and its failures.</summary>
[Trait("Tier", "Stack")]
public sealed class KnowledgeCommandLineTests(LocalStackFixture stack) : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pmed-cli-knowledge-");
    private readonly string _database = "pmed-cli-diff-" + Guid.NewGuid().ToString("N")[..10];

    private static string ClinVarSlice => Path.Combine(RepositoryPaths.Root, "src", "Core", "Knowledge", "Seed", "clinvar_variant_summary.slice.txt");

    [Fact]
    public async Task Import_WithoutCosmos_IsADryRun()
    {
        var run = await Pmed.RunAsync("knowledge", "import", "clinvar", ClinVarSlice);

        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        Assert.Contains("clinvar clinvar_variant_summary.slice.txt: 32 documents", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("dry run", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_IntoTheEmulatorTwice_SecondWritesNothing()
    {
        string[] args =
        [
            "knowledge", "import", "clinvar", ClinVarSlice, "--cosmos", stack.Stack.CosmosEndpoint.ToString(), "--cosmos-key", stack.Stack.CosmosKey,
            "--database", "pmed-cli-knowledge-" + Guid.NewGuid().ToString("N")[..10], "--concurrency", "4",
        ];

        var first = await Pmed.RunAsync(args);
        var second = await Pmed.RunAsync(args);

        Assert.True(first.Exit == ExitCodes.Ok, first.ToString());
        Assert.Contains("32 written", first.Stdout, StringComparison.Ordinal);
        Assert.True(second.Exit == ExitCodes.Ok, second.ToString());
        Assert.Contains(" 0 written, 32 unchanged", second.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_TwoClinVarReleasesThenAgain_DiffStoredOnceThenNothing()
    {
        string Release(string name) => Path.Combine(RepositoryPaths.Root, "tests", "TestData", "knowledge", "clinvar", "releases", name);
        string[] Args(string file) =>
        [
            "knowledge", "import", "clinvar", Release(file), "--cosmos", stack.Stack.CosmosEndpoint.ToString(), "--cosmos-key", stack.Stack.CosmosKey,
            "--database", _database, "--concurrency", "4",
        ];

        var first = await Pmed.RunAsync(Args("clinvar_source.vcf.gz"));
        var second = await Pmed.RunAsync(Args("clinvar_target.vcf.gz"));
        var again = await Pmed.RunAsync(Args("clinvar_target.vcf.gz"));

        Assert.True(first.Exit == ExitCodes.Ok, first.ToString());
        Assert.Contains("baseline (no earlier release of this series in the store): 9 classifications", first.Stdout, StringComparison.Ordinal);
        Assert.True(second.Exit == ExitCodes.Ok, second.ToString());
        Assert.Matches(@"diff kd-[0-9a-f]{12} \(stored with kv-[0-9a-f]{12}\): 2 added, 5 changed, 0 removed; impact 4 major, 0 warning, 0 minor, 3 none", second.Stdout);
        Assert.True(again.Exit == ExitCodes.Ok, again.ToString());
        Assert.Contains(" 0 written, 11 unchanged", again.Stdout, StringComparison.Ordinal);
        Assert.Contains("diff: nothing changed", again.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_MissingFile_ExitsOne()
    {
        var run = await Pmed.RunAsync("knowledge", "import", "hgnc", "/no/such/hgnc.txt");

        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.Contains("/no/such/hgnc.txt: no such file", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_RowsNotImported_ExitsTwo()
    {
        var file = Path.Combine(_work.FullName, "clinvar-broken.txt");
        var lines = await File.ReadAllLinesAsync(ClinVarSlice, TestContext.Current.CancellationToken);
        await File.WriteAllLinesAsync(file, [lines[0], "not\ta\tclinvar\trow", .. lines[1..3]], TestContext.Current.CancellationToken);

        var run = await Pmed.RunAsync("knowledge", "import", "clinvar", file);

        Assert.True(run.Exit == ExitCodes.Rejected, run.ToString());
        Assert.Contains("pmed knowledge import: ", run.Stderr, StringComparison.Ordinal);
        CommandLineParsingTests.AssertNoStack(run);
    }

    [Fact]
    public async Task Import_CosmosUnreachable_ExitsThreeWithOneLine()
    {
        var closed = $"http://127.0.0.1:{LoopbackPorts.Closed}/";

        var run = await Pmed.RunAsync("knowledge", "import", "clinvar", ClinVarSlice, "--cosmos", closed, "--cosmos-key", stack.Stack.CosmosKey);

        Assert.Equal(ExitCodes.ServiceFailed, run.Exit);
        Assert.Equal([$"pmed: Cosmos DB at {closed}: connection refused"], run.StderrLines);
    }

    public void Dispose() => _work.Delete(recursive: true);
}
