using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Adapters.Tests.Cosmos;

/// <summary>The ledger on the Cosmos DB emulator server: records round-trip whole, missing ones are null.</summary>
[Trait("Tier", "Stack")]
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
    public async Task ListFiles_ByStateAcrossPartitions_PagesWithContinuation()
    {
        var ct = TestContext.Current.CancellationToken;
        var ledger = Ledger("precisionmed-ledger-list-" + Guid.NewGuid().ToString("N")[..8]);
        var at = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
        var failed = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var state = i % 3 == 0 ? FileState.Completed : FileState.Failed;
            var fileId = $"file-{i}-{Guid.NewGuid():N}";
            if (state == FileState.Failed) failed.Add(fileId);
            await ledger.SaveFileAsync(new LedgerFile { FileId = fileId, LabId = "lab-list", BlobName = $"f{i}.json", ContentHash = "h", State = state, ReceivedAt = at }, ct);
            await ledger.SaveUnitAsync(new LedgerUnit { FileId = fileId, UnitIndex = 0, ContentHash = "h", State = UnitState.Failed }, ct);
        }

        var seen = new List<string>();
        string? continuation = null;
        var pages = 0;
        do
        {
            var page = await ledger.ListFilesAsync(FileState.Failed, pageSize: 2, continuation, ct);
            Assert.InRange(page.Files.Count, 1, 2);
            Assert.All(page.Files, f => Assert.Equal(FileState.Failed, f.State));
            seen.AddRange(page.Files.Select(f => f.FileId));
            continuation = page.Continuation;
            pages++;
        }
        while (continuation is not null);

        Assert.Equal(failed.Order(), seen.Order());
        Assert.True(pages >= 2, $"{pages} page(s)"); // 4 files, 2 a page
        var all = await ledger.ListFilesAsync(state: null, pageSize: 100, continuation: null, ct);
        Assert.Equal(7, all.Files.Count);
        Assert.Null(all.Continuation);
    }

    [Fact]
    public async Task SaveUnit_ReplayCountAndHistory_RoundTrip()
    {
        var ct = TestContext.Current.CancellationToken;
        var ledger = Ledger();
        var fileId = Guid.NewGuid().ToString();
        var at = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

        await ledger.SaveUnitAsync(new LedgerUnit
        {
            FileId = fileId, UnitIndex = 0, ContentHash = "h", State = UnitState.Pending, ReplayCount = 2,
            History = [new LedgerEvent(at, "Replayed (2 of 3) by operator via pmed: ticket 42")],
        }, ct);

        var found = (await ledger.FindUnitAsync(fileId, 0, ct))!;
        Assert.Equal(2, found.ReplayCount);
        Assert.Equal(new LedgerEvent(at, "Replayed (2 of 3) by operator via pmed: ticket 42"), Assert.Single(found.History));
    }

    [Fact]
    public async Task SaveUnit_WaitingWithItsNextAttempt_RoundTrips()
    {
        var ct = TestContext.Current.CancellationToken;
        var ledger = Ledger();
        var fileId = Guid.NewGuid().ToString();
        var at = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
        var waiting = new LedgerUnit
        {
            FileId = fileId, UnitIndex = 0, ContentHash = "h", State = UnitState.Waiting, Attempt = 7,
            NextAttemptAt = at.AddMinutes(15), FailingSince = at.AddHours(-1), WaitingReason = "the FHIR service answered HTTP 503", UpdatedAt = at,
        };

        await ledger.SaveUnitAsync(waiting, ct);

        var found = (await ledger.FindUnitAsync(fileId, 0, ct))!;
        Assert.Equal((UnitState.Waiting, 7, at.AddMinutes(15), at.AddHours(-1)), (found.State, found.Attempt, found.NextAttemptAt, found.FailingSince));
        Assert.Equal("the FHIR service answered HTTP 503", found.WaitingReason);
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

    private ILabFileLedger Ledger(string database = "precisionmed-ledger-tests")
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cosmos:Endpoint"] = stack.Stack.CosmosEndpoint.ToString(),
            ["Cosmos:EmulatorKey"] = stack.Stack.CosmosKey,
            ["Cosmos:Database"] = database,
            ["Cosmos:CreateIfMissing"] = "true",
        }).Build();
        return new ServiceCollection().AddCosmosLedger(configuration).BuildServiceProvider().GetRequiredService<ILabFileLedger>();
    }
}
