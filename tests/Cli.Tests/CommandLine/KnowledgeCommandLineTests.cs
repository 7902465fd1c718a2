using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary><c>pmed knowledge import</c> through the command line: a dry run, into the Cosmos emulator, and its failures.</summary>
[Trait("Tier", "Stack")]
public sealed class KnowledgeCommandLineTests(LocalStackFixture stack) : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pmed-cli-knowledge-");

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
