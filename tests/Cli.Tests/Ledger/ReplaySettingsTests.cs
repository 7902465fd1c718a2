using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Cli.Ledger;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Cli.Tests.Ledger;

/// <summary>Sets environment variables and the console, which are process-wide: runs alone.</summary>
[CollectionDefinition(nameof(ReplaySettingsTests), DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection;

/// <summary>
/// <c>pmed replay</c> reads the function app's settings from the environment, as the app does: <c>Pipeline__MaxReplays</c>
/// bounds it exactly as it bounds the app's replay endpoint, and a malformed one stops it naming the setting. Runs
/// <c>pmed</c> through its entry point as a shell would (arguments as strings; exit code, stdout and stderr) against the
/// ledger on cosmosdb-server and the work queue on Azurite.
/// </summary>
[Collection(nameof(ReplaySettingsTests))]
[Trait("Tier", "Stack")]
public sealed class ReplaySettingsTests(LocalStackFixture stack)
{
    private const string MaxReplaysVariable = "Pipeline__MaxReplays";
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..10];

    private string Database => "pmed-cli-replay-" + _suffix;

    private string QueueName => "lab-reports-" + _suffix;

    [Fact]
    public async Task Replay_MaxReplaysFromEnvironment_BoundsTheReplay()
    {
        var ct = TestContext.Current.CancellationToken;
        var fileId = await SeedFailedUnitReplayedOnceAsync(ct);

        var refused = await RunPmedAsync(MaxReplaysVariable, "1", ReplayArgs(fileId));

        Assert.Equal(ReplayRunner.ExitNotReplayed, refused.Exit);
        Assert.Contains("already replayed 1 time(s), the most Pipeline:MaxReplays (1) allows", refused.Stderr, StringComparison.Ordinal);
        Assert.Empty(await PeekQueueAsync(ct));

        var replayed = await RunPmedAsync(MaxReplaysVariable, "2", ReplayArgs(fileId));

        Assert.Equal(ReplayRunner.ExitOk, replayed.Exit);
        Assert.Contains("1 unit(s) of 1 file(s) queued again", replayed.Stdout, StringComparison.Ordinal);
        Assert.Single(await PeekQueueAsync(ct));
        await using var services = Connection().BuildServices();
        var unit = (await services.GetRequiredService<ILabFileLedger>().FindUnitAsync(fileId, 0, ct))!;
        Assert.Equal(2, unit.ReplayCount);
        Assert.Contains(unit.History, e => e.What.StartsWith("Replay 2 of 2 requested by operator via pmed (ticket OPS-9)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("-1", "The field Pipeline:MaxReplays must be between 0 and 100 (environment variable Pipeline__MaxReplays).")]
    [InlineData("three", "Failed to convert configuration value 'three' at 'Pipeline:MaxReplays' to type 'System.Int32'.")]
    public async Task Replay_MaxReplaysMalformed_UsageErrorNamingTheSetting(string value, string message)
    {
        var run = await RunPmedAsync(MaxReplaysVariable, value, ReplayArgs("any-file"));

        Assert.Equal(ReplayRunner.ExitUsage, run.Exit);
        Assert.Equal($"pmed replay: {message}", run.Stderr.Trim());
        Assert.Equal(string.Empty, run.Stdout);
    }

    private string[] ReplayArgs(string fileId) =>
    [
        "replay", fileId, "--reason", "ticket OPS-9",
        "--cosmos", stack.Stack.CosmosEndpoint.ToString(), "--cosmos-key", stack.Stack.CosmosKey, "--database", Database,
        "--storage", stack.Stack.AzuriteConnectionString, "--queue", QueueName,
    ];

    private LedgerConnection Connection() =>
        new(stack.Stack.CosmosEndpoint, stack.Stack.CosmosKey, Database, stack.Stack.AzuriteConnectionString, QueueName);

    /// <summary>A file whose one unit failed and was replayed once already, as the ledger holds it after one failed replay.</summary>
    private async Task<string> SeedFailedUnitReplayedOnceAsync(CancellationToken ct)
    {
        const string lab = "lab-cli-replay";
        var hash = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        var fileId = LabFileIds.For(lab, hash);
        var at = DateTimeOffset.UtcNow;
        var problem = new LabFileProblem(SourcePosition.None, "The FHIR service did not answer on every delivery attempt.");
        await using var services = Connection().BuildServices();
        var ledger = services.GetRequiredService<ILabFileLedger>();
        await ledger.SaveFileAsync(
            LedgerFile.Received(fileId, lab, "2026/report.json", hash, at) with { State = FileState.Failed, UnitCount = 1, Problem = problem, Format = LabFileFormat.FhirJson },
            ct);
        await ledger.SaveUnitAsync(
            new LedgerUnit { FileId = fileId, UnitIndex = 0, ContentHash = hash, State = UnitState.Failed, Problem = problem, ReplayCount = 1, UpdatedAt = at },
            ct);
        return fileId;
    }

    private async Task<IReadOnlyList<string>> PeekQueueAsync(CancellationToken ct)
    {
        var queue = stack.Stack.CreateQueueServiceClient().GetQueueClient(QueueName);
        await queue.CreateIfNotExistsAsync(cancellationToken: ct);
        return [.. (await queue.PeekMessagesAsync(32, ct)).Value.Select(m => m.MessageText)];
    }

    /// <summary>
    /// <c>pmed ARGS</c> with one environment variable set: the program's entry point, its console captured.
    /// </summary>
    private static async Task<(int Exit, string Stdout, string Stderr)> RunPmedAsync(string variable, string value, string[] args)
    {
        var entryPoint = typeof(ReplayRunner).Assembly.EntryPoint!;
        var previous = (Environment.GetEnvironmentVariable(variable), Console.Out, Console.Error);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Environment.SetEnvironmentVariable(variable, value);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var result = await Task.Run(() => entryPoint.Invoke(null, [args]));
            var exit = result is Task<int> running ? await running : (int)result!;
            return (exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, previous.Item1);
            Console.SetOut(previous.Out);
            Console.SetError(previous.Error);
        }
    }
}
