using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary><c>pmed status</c> and <c>pmed replay</c> through the command line, on the Cosmos emulator and Azurite.</summary>
[Trait("Tier", "Stack")]
public sealed class LedgerCommandLineTests(LocalStackFixture stack)
{
    private readonly string _database = "pmed-cli-ledger-" + Guid.NewGuid().ToString("N")[..10];

    private string[] Cosmos => ["--cosmos", stack.Stack.CosmosEndpoint.ToString(), "--cosmos-key", stack.Stack.CosmosKey, "--database", _database];

    private string[] Storage => ["--storage", stack.Stack.AzuriteConnectionString, "--queue", "lab-reports-" + _database[^10..]];

    [Fact]
    public async Task Status_Listing_EveryFlag_ExitsZero()
    {
        var json = await Pmed.RunAsync(["status", "--state", "Failed", "--page-size", "5", "--json", .. Cosmos]);
        var all = await Pmed.RunAsync(["status", "--all", .. Cosmos]);
        var page = await Pmed.RunAsync(["status", "--page-size", "2", .. Cosmos]);

        Assert.True(json.Exit == ExitCodes.Ok, json.ToString());
        Assert.Contains("\"files\": []", json.Stdout, StringComparison.Ordinal);
        Assert.True(all.Exit == ExitCodes.Ok, all.ToString());
        Assert.Contains("0 file(s)", all.Stdout, StringComparison.Ordinal);
        Assert.True(page.Exit == ExitCodes.Ok, page.ToString());
    }

    [Fact]
    public async Task Status_UnknownFile_ExitsTwo()
    {
        var run = await Pmed.RunAsync(["status", "no-such-file", .. Cosmos]);

        Assert.Equal(ExitCodes.Rejected, run.Exit);
        Assert.Equal(["pmed status: no file with id no-such-file is in the ledger"], run.StderrLines);
    }

    [Fact]
    public async Task Status_PageSizeOutOfRange_ExitsOne()
    {
        var run = await Pmed.RunAsync(["status", "--page-size", "0", .. Cosmos]);

        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.Contains("--page-size must be from 1", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_CosmosUnreachable_ExitsThreeWithOneLine()
    {
        var closed = $"http://127.0.0.1:{LoopbackPorts.Closed}/";

        var run = await Pmed.RunAsync("status", "--cosmos", closed, "--cosmos-key", stack.Stack.CosmosKey);

        Assert.Equal(ExitCodes.ServiceFailed, run.Exit);
        Assert.Equal([$"pmed: Cosmos DB at {closed}: connection refused"], run.StderrLines);
        CommandLineParsingTests.AssertNoStack(run);
    }

    [Fact]
    public async Task Replay_FailedOnAnEmptyLedger_EveryFlag_ExitsZero()
    {
        var text = await Pmed.RunAsync(["replay", "--failed", "--reason", "ticket 42", .. Cosmos, .. Storage]);
        var json = await Pmed.RunAsync(["replay", "--failed", "--json", .. Cosmos, .. Storage]);

        Assert.True(text.Exit == ExitCodes.Ok, text.ToString());
        Assert.Contains("0 unit(s) of 0 file(s) queued again", text.Stdout, StringComparison.Ordinal);
        Assert.True(json.Exit == ExitCodes.Ok, json.ToString());
        Assert.Equal("[]", json.Stdout.Trim());
    }

    [Fact]
    public async Task Replay_UnknownFile_ExitsTwo()
    {
        var run = await Pmed.RunAsync(["replay", "no-such-file", .. Cosmos, .. Storage]);

        Assert.Equal(ExitCodes.Rejected, run.Exit);
        Assert.Contains("No file with id no-such-file", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("either a FILE_ID or --failed")]
    [InlineData("either a FILE_ID or --failed", "file-1", "--failed")]
    public async Task Replay_NeitherOrBothOfFileIdAndFailed_ExitsOne(string expected, params string[] args)
    {
        var run = await Pmed.RunAsync(["replay", .. args, .. Cosmos, .. Storage]);

        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.Contains(expected, run.Stderr, StringComparison.Ordinal);
    }
}
