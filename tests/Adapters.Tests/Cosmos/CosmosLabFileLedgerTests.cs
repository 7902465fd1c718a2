using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Core.Formats;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Adapters.Tests.Cosmos;

/// <summary>The ledger on the Cosmos DB emulator server: records round-trip whole, missing ones are null.</summary>
public sealed class CosmosLabFileLedgerTests(LocalStackFixture stack)
{
    [Fact]
    public async Task SaveAndFind_FileAndUnits_RoundTripInOnePartition()
    {
        var ct = TestContext.Current.CancellationToken;
        var ledger = Ledger();
        var fileId = Guid.NewGuid().ToString();
        var at = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
        var file = new LedgerFile
        {
            FileId = fileId,
            LabId = "lab-ledger",
            BlobName = "2026/a.json",
            ContentHash = "abc",
            Format = LabFileFormat.FhirJson,
            State = FileState.Split,
            UnitCount = 2,
            ReceivedAt = at,
            UpdatedAt = at,
            Problem = new LabFileProblem(new SourcePosition { Line = 3, Column = 7 }, "reason"),
            History = [new LedgerEvent(at, "Received")],
        };

        await ledger.SaveFileAsync(file, ct);
        await ledger.SaveUnitAsync(new LedgerUnit { FileId = fileId, UnitIndex = 1, ContentHash = "abc", State = UnitState.Completed, ResourceReferences = ["Observation/x"] }, ct);
        await ledger.SaveUnitAsync(new LedgerUnit { FileId = fileId, UnitIndex = 0, ContentHash = "abc", State = UnitState.Pending }, ct);

        var found = await ledger.FindFileAsync(fileId, ct);
        Assert.Equal(file with { History = found!.History }, found);
        Assert.Equal(file.History, found.History);
        var units = await ledger.ListUnitsAsync(fileId, ct);
        Assert.Equal([0, 1], units.Select(u => u.UnitIndex));
        Assert.Equal(["Observation/x"], units[1].ResourceReferences);
        Assert.Equal(UnitState.Pending, (await ledger.FindUnitAsync(fileId, 0, ct))!.State);
    }

    [Fact]
    public async Task SaveUnit_ETagCompareAndSwap_OneOfTwoConcurrentClaimsWins()
    {
        var ct = TestContext.Current.CancellationToken;
        var ledger = Ledger();
        var fileId = Guid.NewGuid().ToString();
        var created = await ledger.SaveUnitAsync(new LedgerUnit { FileId = fileId, UnitIndex = 0, ContentHash = "abc", State = UnitState.Pending }, ct);
        Assert.NotNull(created.ETag);
        await Assert.ThrowsAsync<LedgerConflictException>(
            () => ledger.SaveUnitAsync(new LedgerUnit { FileId = fileId, UnitIndex = 0, ContentHash = "abc", State = UnitState.Pending }, ct));

        // Two deliveries read the same version and both try to claim it.
        var read = (await ledger.FindUnitAsync(fileId, 0, ct))!;
        Assert.Equal(created.ETag, read.ETag);
        var claims = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            try
            {
                return await ledger.SaveUnitAsync(read with { State = UnitState.Processing }, ct);
            }
            catch (LedgerConflictException)
            {
                return null;
            }
        }));

        var winner = Assert.Single(claims, c => c is not null);
        Assert.NotEqual(read.ETag, winner!.ETag);
        var listed = Assert.Single(await ledger.ListUnitsAsync(fileId, ct));
        Assert.Equal(winner.ETag, listed.ETag);
        var completed = await ledger.SaveUnitAsync(winner with { State = UnitState.Completed }, ct);
        Assert.Equal(UnitState.Completed, (await ledger.FindUnitAsync(fileId, 0, ct))!.State);
        Assert.Equal(completed.ETag, (await ledger.FindUnitAsync(fileId, 0, ct))!.ETag);
    }

    [Fact]
    public async Task Find_Missing_ReturnsNull()
    {
        var ct = TestContext.Current.CancellationToken;
        var ledger = Ledger();

        Assert.Null(await ledger.FindFileAsync(Guid.NewGuid().ToString(), ct));
        Assert.Null(await ledger.FindUnitAsync(Guid.NewGuid().ToString(), 0, ct));
        Assert.Empty(await ledger.ListUnitsAsync(Guid.NewGuid().ToString(), ct));
    }

    private ILabFileLedger Ledger()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cosmos:Endpoint"] = stack.Stack.CosmosEndpoint.ToString(),
            ["Cosmos:EmulatorKey"] = stack.Stack.CosmosKey,
            ["Cosmos:Database"] = "precisionmed-ledger-tests",
            ["Cosmos:CreateIfMissing"] = "true",
        }).Build();
        return new ServiceCollection().AddCosmosLedger(configuration).BuildServiceProvider().GetRequiredService<ILabFileLedger>();
    }
}
