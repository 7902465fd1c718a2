using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Reinterpretation;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Adapters.Tests.Cosmos;

/// <summary>
/// The reinterpretation records on the Cosmos DB emulator server, beside the lab files' ledger: they round-trip, a run's
/// records are one partition, a save is an ETag compare-and-swap (of two claims of one version one wins), and the lab
/// files' listing never shows them.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class CosmosReinterpretationLedgerTests(LocalStackFixture stack)
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 4, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Records_RoundTripPerRun_ClaimedByETag_NotListedAsFiles()
    {
        var ct = TestContext.Current.CancellationToken;
        var services = Services();
        var ledger = services.GetRequiredService<IReinterpretationLedger>();
        Assert.IsNotType<InMemoryReinterpretationLedger>(ledger);
        var run = "reinterpret-" + Guid.NewGuid().ToString("N")[..12];
        var pending = ReinterpretationRecord.Pending(new ReinterpretationWorkItem("kd-1", "Patient/1", "DiagnosticReport/1", run), At);
        var created = await ledger.SaveAsync(pending, ct);
        await ledger.SaveAsync(ReinterpretationRecord.Pending(new ReinterpretationWorkItem("kd-1", "Patient/2", "DiagnosticReport/2", run), At), ct);
        await Assert.ThrowsAsync<ReinterpretationConflictException>(() => ledger.SaveAsync(pending, ct));

        var claimed = await ledger.SaveAsync(created.Claim(At.AddMinutes(10), At), ct);
        await Assert.ThrowsAsync<ReinterpretationConflictException>(() => ledger.SaveAsync(created.Claim(At.AddMinutes(10), At), ct)); // the other delivery read the same version
        await ledger.SaveAsync(claimed.Complete(new ReinterpretationOutcome(1, 0, 1, 0, 9, 1), At), ct);

        var found = await ledger.FindAsync(run, pending.ItemId, ct);
        Assert.Equal((UnitState.Completed, 1, 1, 1), (found!.State, found.Amended, found.TasksAmended, found.Deliveries));
        Assert.Equal(new ReinterpretationProgress(2, 1, 0, 0, 0, 1), ReinterpretationProgress.Of(await ledger.ListAsync(run, ct)));
        Assert.Null(await ledger.FindAsync(run, "ri-none", ct));
        Assert.Empty(await ledger.ListAsync("reinterpret-none", ct));
        var files = await services.GetRequiredService<ILabFileLedger>().ListFilesAsync(null, 100, null, ct);
        Assert.DoesNotContain(files.Files, f => f.FileId.StartsWith("reinterpretation:", StringComparison.Ordinal));
    }

    private ServiceProvider Services()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cosmos:Endpoint"] = stack.Stack.CosmosEndpoint.ToString(),
            ["Cosmos:EmulatorKey"] = stack.Stack.CosmosKey,
            ["Cosmos:Database"] = "precisionmed-reinterpretation-ledger-tests",
            ["Cosmos:CreateIfMissing"] = "true",
        }).Build();
        return new ServiceCollection().AddCosmosLedger(configuration).BuildServiceProvider();
    }
}
