using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>
/// <c>$PMED_STORAGE</c>, the default of <c>--storage</c>, is checked when the command line is parsed, as <c>--storage</c>
/// is: a malformed one is a usage error naming the variable, never its value (a connection string holds the account key).
/// </summary>
[Trait("Tier", "Fast")]
[Collection(nameof(ProcessEnvironment))]
public sealed class StorageEnvironmentCommandLineTests
{
    private const string Key = "c2VjcmV0LWtleQ==";

    [Theory]
    [InlineData("garbage;AccountKey=c2VjcmV0", "replay", "file-1", "--cosmos", "http://127.0.0.1:8081/")]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=x", "replay", "file-1", "--cosmos", "http://127.0.0.1:8081/")]
    [InlineData("ftp://lab.queue.core.windows.net/", "replay", "file-1", "--cosmos", "http://127.0.0.1:8081/")]
    [InlineData("garbage;AccountKey=c2VjcmV0", "serve", "--cosmos", "http://127.0.0.1:8081/")]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=x", "knowledge", "reinterpret", "--cosmos", "http://127.0.0.1:8081/")]
    public async Task StorageFromEnvironment_NotAConnectionStringOrUrl_ExitsOneNamingTheVariableNotTheValue(string storage, params string[] command)
    {
        using var _ = ProcessEnvironment.Set(new Dictionary<string, string?> { [StorageOption.EnvironmentVariable] = storage });

        var run = await Pmed.RunAsync(command).WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.StartsWith("pmed: $PMED_STORAGE: not ", run.StderrLines[0], StringComparison.Ordinal);
        Assert.StartsWith("See 'pmed ", run.StderrLines[1], StringComparison.Ordinal);
        Assert.Equal(2, run.StderrLines.Length);
        Assert.DoesNotContain(storage, run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", run.Stderr, StringComparison.Ordinal);
        CommandLineParsingTests.AssertNoStack(run);
    }

    [Fact]
    public async Task StorageOption_GivenBesideAMalformedVariable_TheOptionWinsAndTheVariableIsNotChecked()
    {
        using var _ = ProcessEnvironment.Set(new Dictionary<string, string?> { [StorageOption.EnvironmentVariable] = "garbage" });
        var closed = $"http://127.0.0.1:{LoopbackPorts.Closed}/";

        var run = await Pmed.RunAsync("replay", "file-1", "--cosmos", closed, "--cosmos-key", Key, "--storage", "UseDevelopmentStorage=true");

        // Past the parse: the ledger's Cosmos DB is down.
        Assert.Equal(ExitCodes.ServiceFailed, run.Exit);
        Assert.DoesNotContain("PMED_STORAGE", run.Stderr, StringComparison.Ordinal);
    }
}
