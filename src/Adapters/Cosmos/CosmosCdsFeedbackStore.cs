using System.Text.Json;
using Microsoft.Azure.Cosmos;
using PrecisionMed.Core.Cds.Feedback;

namespace PrecisionMed.Adapters.Cosmos;

/// <summary>
/// CDS Hooks feedback in the Cosmos DB container <c>cds-feedback</c>, one partition per service (<c>/pk</c>): one
/// document per card outcome (upserted by its deterministic id, so a resent feedback writes the same document), no PHI.
/// Counts read each service's partition once and count in process: feedback is a low-volume, reporting-only path.
/// </summary>
internal sealed class CosmosCdsFeedbackStore(CosmosContainerProvider containers) : ICdsFeedbackStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task AddAsync(IReadOnlyList<CdsFeedbackRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var container = await containers.CdsFeedbackAsync(cancellationToken);
        foreach (var record in records)
        {
            using var body = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(new FeedbackDocument(record.Id, record.Service, record), Json), writable: false);
            using var response = await container.UpsertItemStreamAsync(body, new PartitionKey(record.Service), cancellationToken: cancellationToken);
            response.EnsureSuccessStatusCode();
        }
    }

    public async Task<IReadOnlyList<CdsFeedbackCount>> CountAsync(IReadOnlyList<string> services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var container = await containers.CdsFeedbackAsync(cancellationToken);
        var records = new List<CdsFeedbackRecord>();
        foreach (var service in services)
        {
            // The filter repeats the partition key: the emulator server does not scope a query to the one it is given.
            using var iterator = container.GetItemQueryStreamIterator(
                new QueryDefinition("SELECT * FROM c WHERE c.pk = @pk").WithParameter("@pk", service),
                requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(service) });
            while (iterator.HasMoreResults)
            {
                using var page = await iterator.ReadNextAsync(cancellationToken);
                page.EnsureSuccessStatusCode();
                using var json = await JsonDocument.ParseAsync(page.Content, cancellationToken: cancellationToken);
                foreach (var item in json.RootElement.GetProperty("Documents").EnumerateArray())
                {
                    if (item.Deserialize<FeedbackDocument>(Json)?.Record is { } record) records.Add(record);
                }
            }
        }

        return InMemoryCdsFeedbackStore.Count(records);
    }

    private sealed record FeedbackDocument(string Id, string Pk, CdsFeedbackRecord Record);
}
