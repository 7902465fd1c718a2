using PrecisionMed.Cli.Ledger;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Cli.Tests.Ledger;

/// <summary>
/// <c>pmed status</c> and <c>pmed replay</c> on the emulators: usage errors and an empty or unknown ledger. The
/// failed-unit-to-completed story runs end to end in Functions.Tests (ReplayEndToEndTests).
/// </summary>
[Trait("Tier", "Stack")]
public sealed class LedgerCommandTests(LocalStackFixture stack)
{
    private readonly string _database = "pmed-cli-ledger-" + Guid.NewGuid().ToString("N")[..10];

    [Theory]
    [InlineData(null, false)]
    [InlineData("some-file", true)]
    public async Task Replay_NeitherOrBothOfFileIdAndFailed_UsageError(string? fileId, bool failed)
    {
        var (exit, _, stderr) = await RunAsync((o, e) => new ReplayRunner(new ReplayOptions(Connection(), fileId, failed, null, Json: false), o, e).RunAsync(TestContext.Current.CancellationToken));

        Assert.Equal(ReplayRunner.ExitUsage, exit);
        Assert.Contains("either a FILE_ID or --failed", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_UnknownFile_NotReplayedExit()
    {
        var (exit, _, stderr) = await RunAsync((o, e) => new ReplayRunner(new ReplayOptions(Connection(), "no-such-file", false, null, Json: false), o, e).RunAsync(TestContext.Current.CancellationToken));

        Assert.Equal(ReplayRunner.ExitNotReplayed, exit);
        Assert.Contains("No file with id no-such-file", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_FailedOnEmptyLedger_NothingQueuedExitOk()
    {
        var (exit, stdout, _) = await RunAsync((o, e) => new ReplayRunner(new ReplayOptions(Connection(), null, true, null, Json: false), o, e).RunAsync(TestContext.Current.CancellationToken));

        Assert.Equal(ReplayRunner.ExitOk, exit);
        Assert.Contains("0 unit(s) of 0 file(s) queued again", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_UnknownFileAndEmptyListing()
    {
        var ct = TestContext.Current.CancellationToken;
        var (missing, _, stderr) = await RunAsync((o, e) => new StatusRunner(new StatusOptions(Connection(), "no-such-file", null, 50, null, false, false), o, e).RunAsync(ct));
        var (listed, stdout, _) = await RunAsync((o, e) => new StatusRunner(new StatusOptions(Connection(), null, Core.Pipeline.Ledger.FileState.Failed, 50, null, false, true), o, e).RunAsync(ct));

        Assert.Equal(StatusRunner.ExitNotFound, missing);
        Assert.Contains("no file with id no-such-file", stderr, StringComparison.Ordinal);
        Assert.Equal(StatusRunner.ExitOk, listed);
        Assert.Contains("\"files\": []", stdout, StringComparison.Ordinal);
    }

    private LedgerConnection Connection() =>
        new(stack.Stack.CosmosEndpoint, stack.Stack.CosmosKey, _database, stack.Stack.AzuriteConnectionString, "lab-reports-" + _database[^10..]);

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(Func<TextWriter, TextWriter, Task<int>> run)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await run(stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
