using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Adapters.Cosmos;

/// <summary>
/// The ledger in a Cosmos DB container partitioned by <c>/fileId</c>: the file record has id
/// <c>file</c>, unit records <c>unit-00000</c>... Reads are point reads; the only query stays in one partition.
/// Documents go through the stream API with System.Text.Json, so the records' own shapes are the schema.
/// </summary>
internal sealed class CosmosLabFileLedger(CosmosContainerProvider containers, CosmosOptions options) : ILabFileLedger
{
    private const string FileDocumentId = "file";
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public Task<LedgerFile?> FindFileAsync(string fileId, CancellationToken cancellationToken) =>
        ReadAsync<LedgerFile>(fileId, FileDocumentId, cancellationToken);

    public Task SaveFileAsync(LedgerFile file, CancellationToken cancellationToken) =>
        UpsertAsync(file.FileId, FileDocumentId, "file", file, cancellationToken);

    public Task<LedgerUnit?> FindUnitAsync(string fileId, int unitIndex, CancellationToken cancellationToken) =>
        ReadAsync<LedgerUnit>(fileId, UnitDocumentId(unitIndex), cancellationToken);

    public Task SaveUnitAsync(LedgerUnit unit, CancellationToken cancellationToken) =>
        UpsertAsync(unit.FileId, UnitDocumentId(unit.UnitIndex), "unit", unit, cancellationToken);

    public async Task<IReadOnlyList<LedgerUnit>> ListUnitsAsync(string fileId, CancellationToken cancellationToken)
    {
        var container = await containers.LedgerAsync(cancellationToken);
        // The partition key is in the WHERE clause as well as the options: the emulator server ignores the latter.
        var query = new QueryDefinition("SELECT * FROM c WHERE c.fileId = @fileId AND c.kind = 'unit'")
            .WithParameter("@fileId", fileId);
        var units = new List<LedgerUnit>();
        using var iterator = container.GetItemQueryStreamIterator(
            query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(fileId) });
        while (iterator.HasMoreResults)
        {
            using var response = await iterator.ReadNextAsync(cancellationToken);
            response.EnsureSuccessStatusCode();
            using var page = await JsonDocument.ParseAsync(response.Content, cancellationToken: cancellationToken);
            foreach (var document in page.RootElement.GetProperty("Documents").EnumerateArray())
                units.Add(document.Deserialize<LedgerUnit>(JsonOptions)!);
        }

        return [.. units.OrderBy(u => u.UnitIndex)];
    }

    private async Task<T?> ReadAsync<T>(string fileId, string id, CancellationToken cancellationToken)
        where T : class
    {
        var container = await containers.LedgerAsync(cancellationToken);
        using var response = await container.ReadItemStreamAsync(id, new PartitionKey(fileId), cancellationToken: cancellationToken);
        // The emulator server answers a missing item with 500 rather than 404.
        if (response.StatusCode == HttpStatusCode.NotFound
            || (options.IsEmulator && response.StatusCode == HttpStatusCode.InternalServerError)) return null;
        response.EnsureSuccessStatusCode();
        return await JsonSerializer.DeserializeAsync<T>(response.Content, JsonOptions, cancellationToken);
    }

    private async Task UpsertAsync<T>(string fileId, string id, string kind, T record, CancellationToken cancellationToken)
    {
        var container = await containers.LedgerAsync(cancellationToken);
        var document = JsonSerializer.SerializeToNode(record, JsonOptions)!.AsObject();
        document["id"] = id;
        document["kind"] = kind;
        using var body = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(document, JsonOptions));
        using var response = await container.UpsertItemStreamAsync(body, new PartitionKey(fileId), cancellationToken: cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private static string UnitDocumentId(int unitIndex) => "unit-" + unitIndex.ToString("D5", CultureInfo.InvariantCulture);
}
