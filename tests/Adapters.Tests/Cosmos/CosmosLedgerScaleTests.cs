using System.Globalization;
using System.Text;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Formats;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Testing.Stack;
using PrecisionMed.Testing.Vcf;
using Xunit;

namespace PrecisionMed.Adapters.Tests.Cosmos;

/// <summary>The ledger at the scale of one big file, on the Cosmos DB emulator server.</summary>
[Trait("Tier", "Stack")]
public sealed class CosmosLedgerScaleTests(LocalStackFixture stack)
{
    private const string Database = "precisionmed-ledger-scale-tests";

    /// <summary>A sixteenth of Cosmos DB's 2 MB item limit (the unit of a 10,000-variant report listed whole was ~510 KB).</summary>
    private const int SizeBound = 128 * 1024;

    [Fact]
    public async Task HasUnfinishedUnits_AnswersFromOneRecordAndOnlyForPendingProcessingOrWaiting()
    {
        var ct = TestContext.Current.CancellationToken;
        var ledger = Ledger();
        var fileId = Guid.NewGuid().ToString();
        var other = Guid.NewGuid().ToString();
        await ledger.SaveUnitAsync(new LedgerUnit { FileId = other, UnitIndex = 0, ContentHash = "h", State = UnitState.Pending }, ct);
        foreach (var (index, state) in ((int, UnitState)[])[(0, UnitState.Completed), (1, UnitState.Rejected), (2, UnitState.Held), (3, UnitState.Failed)])
            await ledger.SaveUnitAsync(new LedgerUnit { FileId = fileId, UnitIndex = index, ContentHash = "h", State = state }, ct);

        Assert.False(await ledger.HasUnfinishedUnitsAsync(fileId, ct));

        var processing = await ledger.SaveUnitAsync(new LedgerUnit { FileId = fileId, UnitIndex = 4, ContentHash = "h", State = UnitState.Processing }, ct);
        Assert.True(await ledger.HasUnfinishedUnitsAsync(fileId, ct));
        await ledger.SaveUnitAsync(processing with { State = UnitState.Completed }, ct);
        Assert.False(await ledger.HasUnfinishedUnitsAsync(fileId, ct));

        // A unit waiting out a FHIR outage is not finished either: its delayed work item is still to come.
        var waiting = await ledger.SaveUnitAsync(new LedgerUnit { FileId = fileId, UnitIndex = 5, ContentHash = "h", State = UnitState.Waiting }, ct);
        Assert.True(await ledger.HasUnfinishedUnitsAsync(fileId, ct));
        await ledger.SaveUnitAsync(waiting with { State = UnitState.Completed }, ct);
        Assert.False(await ledger.HasUnfinishedUnitsAsync(fileId, ct));
        Assert.True(await ledger.HasUnfinishedUnitsAsync(other, ct));
    }

    [Fact]
    public async Task TenThousandVariantVcf_CompletedUnitAsStored_FarBelowTheItemLimit()
    {
        var ct = TestContext.Current.CancellationToken;
        var fileId = Guid.NewGuid().ToString();
        using var transaction = await TenThousandVariantReportAsync(ct);
        var unit = new LedgerUnit
        {
            FileId = fileId,
            ContentHash = new string('a', 64),
            State = UnitState.Completed,
            Accession = transaction.Accession,
            ReportReference = transaction.ReportReference,
            RecordCounts = transaction.RecordCounts,
            Range = new ReportUnitRange(0, 1, 1, 0),
        }.WithReferences(transaction.OwnedReferences, transaction.OwnedReferences);

        await Ledger().SaveUnitAsync(unit, ct);

        // The document as Cosmos DB stores it, system properties and all.
        using var client = new CosmosClient(stack.Stack.CosmosEndpoint.ToString(), stack.Stack.CosmosKey,
            new CosmosClientOptions { ConnectionMode = ConnectionMode.Gateway, LimitToEndpoint = true });
        using var stored = await client.GetContainer(Database, "ledger")
            .ReadItemStreamAsync("unit-00000", new PartitionKey(fileId), cancellationToken: ct);
        stored.EnsureSuccessStatusCode();
        using var body = new MemoryStream();
        await stored.Content.CopyToAsync(body, ct);

        Assert.True(transaction.OwnedReferences.Count > 10_000, $"{transaction.OwnedReferences.Count} resources");
        Assert.True(body.Length < SizeBound, $"the stored unit record is {body.Length} bytes");
        var found = await Ledger().FindUnitAsync(fileId, 0, ct);
        Assert.Equal(transaction.OwnedReferences.Count, found!.ResourceCount);
        Assert.Equal(transaction.OwnedReferences.Count, found.WithdrawnCount);
        Assert.Equal(transaction.OwnedReferences.Take(LedgerUnit.MaxReferencesListed), found.ResourceReferences);
    }

    private static async Task<ReportTransaction> TenThousandVariantReportAsync(CancellationToken ct)
    {
        var vcf = new StringBuilder("##fileformat=VCFv4.2\n##reference=GRCh38\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n");
        for (var i = 1; i <= 10_000; i++)
            vcf.Append(CultureInfo.InvariantCulture, $"chr{1 + (i % 22)}\t{100_000 + i * 97}\t.\tA\tG\t50\tPASS\tDP=30\tGT:AD:DP\t0/1:15,15:30\n");
        var content = Encoding.ASCII.GetBytes(vcf.ToString());
        // The pipeline's own VCF path, enriched from the embedded knowledge seed, as the worker builds a unit.
        var intake = new ServiceCollection().AddLogging().AddPrecisionMedPipeline().BuildServiceProvider().GetRequiredService<LabFileIntake>();
        var provenance = new ReportProvenance("lab-scale", "incoming/lab-scale/exome.vcf", new string('a', 64), "exome.vcf", 0, 1, DateTimeOffset.UnixEpoch, "test")
        {
            Manifest = TestVcfManifests.For("exome.vcf", content),
        };
        return await intake.BuildUnitAsync(_ => Task.FromResult<Stream>(new MemoryStream(content)), provenance, ct);
    }

    private ILabFileLedger Ledger()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cosmos:Endpoint"] = stack.Stack.CosmosEndpoint.ToString(),
            ["Cosmos:EmulatorKey"] = stack.Stack.CosmosKey,
            ["Cosmos:Database"] = Database,
            ["Cosmos:CreateIfMissing"] = "true",
        }).Build();
        return new ServiceCollection().AddCosmosLedger(configuration).BuildServiceProvider().GetRequiredService<ILabFileLedger>();
    }
}
