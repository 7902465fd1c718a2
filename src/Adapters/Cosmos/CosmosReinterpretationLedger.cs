using System.Net;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using PrecisionMed.Core.Pipeline.Reinterpretation;

namespace PrecisionMed.Adapters.Cosmos;

/// <summary>
/// Reinterpretation records in the ledger container (partitioned by <c>/fileId</c>): one partition per run,
/// <c>reinterpretation:{runId}</c>, one document per work item (kind <c>reinterpretation</c>, which the lab files' listing
/// never selects). Point reads and ETag compare-and-swap; a run's progress is one single-partition query.
/// </summary>
internal sealed class CosmosReinterpretationLedger(CosmosContainerProvider containers, CosmosOptions options) : IReinterpretationLedger
{
    private const string Kind = "reinterpretation";
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private static string Partition(string runId) => "reinterpretation:" + runId;

    public async Task<ReinterpretationRecord?> FindAsync(string runId, string itemId, CancellationToken cancellationToken)
    {
        var container = await containers.LedgerAsync(cancellationToken);
        using var response = await container.ReadItemStreamAsync(itemId, new PartitionKey(Partition(runId)), cancellationToken: cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound || (options.IsEmulator && response.StatusCode == HttpStatusCode.InternalServerError)) return null;
        response.EnsureSuccessStatusCode();
        var record = await JsonSerializer.DeserializeAsync<ReinterpretationRecord>(response.Content, JsonOptions, cancellationToken);
        return record! with { ETag = response.Headers.ETag };
    }

    public async Task<ReinterpretationRecord> SaveAsync(ReinterpretationRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var container = await containers.LedgerAsync(cancellationToken);
        var document = JsonSerializer.SerializeToNode(record, JsonOptions)!.AsObject();
        document["id"] = record.ItemId;
        document["fileId"] = Partition(record.RunId);
        document["kind"] = Kind;
        using var body = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(document, JsonOptions));
        var partition = new PartitionKey(Partition(record.RunId));
        using var response = record.ETag is null
            ? await container.CreateItemStreamAsync(body, partition, cancellationToken: cancellationToken)
            : await container.ReplaceItemStreamAsync(body, record.ItemId, partition, new ItemRequestOptions { IfMatchEtag = record.ETag }, cancellationToken);
        if (response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed) throw new ReinterpretationConflictException(record.RunId, record.ItemId);
        response.EnsureSuccessStatusCode();
        return record with { ETag = response.Headers.ETag };
    }

    public async Task<IReadOnlyList<ReinterpretationRecord>> ListAsync(string runId, CancellationToken cancellationToken)
    {
        var container = await containers.LedgerAsync(cancellationToken);
        // The partition key in the WHERE clause as well as the options: the emulator server ignores the latter.
        var query = new QueryDefinition("SELECT * FROM c WHERE c.fileId = @partition AND c.kind = @kind")
            .WithParameter("@partition", Partition(runId))
            .WithParameter("@kind", Kind);
        var records = new List<ReinterpretationRecord>();
        using var iterator = container.GetItemQueryStreamIterator(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(Partition(runId)) });
        while (iterator.HasMoreResults)
        {
            using var response = await iterator.ReadNextAsync(cancellationToken);
            response.EnsureSuccessStatusCode();
            using var page = await JsonDocument.ParseAsync(response.Content, cancellationToken: cancellationToken);
            foreach (var item in page.RootElement.GetProperty("Documents").EnumerateArray())
            {
                var etag = item.TryGetProperty("_etag", out var value) ? value.GetString() : null;
                records.Add(item.Deserialize<ReinterpretationRecord>(JsonOptions)! with { ETag = etag });
            }
        }

        return [.. records.OrderBy(r => r.ItemId, StringComparer.Ordinal)];
    }
}
