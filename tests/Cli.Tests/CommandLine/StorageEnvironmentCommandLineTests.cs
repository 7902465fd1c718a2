using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>
/// <c>$PMED_STORAGE</c> and <c>$PMED_COSMOS_KEY</c>, the defaults of <c>--storage</c> and <c>--cosmos-key</c>, are checked when
/// the command line is parsed, as the options are: a malformed one is a usage error naming the variable, never its value
/// (a connection string holds the account key; the Cosmos DB key is one).
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

        AssertUsageErrorNamingTheVariableNotTheValue(run, "$PMED_STORAGE: not ", storage);
        Assert.DoesNotContain("c2VjcmV0", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not base64!", "ingest", "samples", "--out", "out")]
    [InlineData("c2VjcmV0-a2V5", "knowledge", "import", "clinvar", "variant_summary.txt")]
    [InlineData("c2VjcmV0LWtleQ", "knowledge", "diff", "a.txt", "b.txt")]
    [InlineData("c2VjcmV0LWtleQ=", "status", "--cosmos", "http://127.0.0.1:8081/")]
    [InlineData("c2VjcmV0LWtleQ=", "replay", "file-1", "--cosmos", "http://127.0.0.1:8081/", "--storage", "UseDevelopmentStorage=true")]
    [InlineData("not base64!", "serve", "--cosmos", "http://127.0.0.1:8081/", "--storage", "UseDevelopmentStorage=true")]
    [InlineData("not base64!", "knowledge", "reinterpret", "--cosmos", "http://127.0.0.1:8081/")]
    public async Task CosmosKeyFromEnvironment_NotBase64_ExitsOneNamingTheVariableNotTheValue(string key, params string[] command)
    {
        using var _ = ProcessEnvironment.Set(new Dictionary<string, string?> { [CosmosKeyOption.EnvironmentVariable] = key });

        var run = await Pmed.RunAsync(command).WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);

        AssertUsageErrorNamingTheVariableNotTheValue(run, "$PMED_COSMOS_KEY: the value is not a base64 account key", key);
    }

    [Fact]
    public async Task CosmosKeyOption_GivenBesideAMalformedVariable_TheOptionWinsAndTheVariableIsNotChecked()
    {
        using var _ = ProcessEnvironment.Set(new Dictionary<string, string?> { [CosmosKeyOption.EnvironmentVariable] = "not base64!" });
        var closed = $"http://127.0.0.1:{LoopbackPorts.Closed}/";

        var run = await Pmed.RunAsync("status", "--cosmos", closed, "--cosmos-key", Key);

        // Past the parse: the ledger's Cosmos DB is down.
        Assert.Equal(ExitCodes.ServiceFailed, run.Exit);
        Assert.DoesNotContain("PMED_COSMOS_KEY", run.Stderr, StringComparison.Ordinal);
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

    private static void AssertUsageErrorNamingTheVariableNotTheValue(PmedRun run, string expectedStart, string value)
    {
        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.StartsWith("pmed: " + expectedStart, run.StderrLines[0], StringComparison.Ordinal);
        Assert.StartsWith("See 'pmed ", run.StderrLines[1], StringComparison.Ordinal);
        Assert.Equal(2, run.StderrLines.Length);
        Assert.DoesNotContain(value, run.Stderr, StringComparison.Ordinal);
        CommandLineParsingTests.AssertNoStack(run);
    }
}
