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

    public async Task<LedgerUnit?> FindUnitAsync(string fileId, int unitIndex, CancellationToken cancellationToken)
    {
        var container = await containers.LedgerAsync(cancellationToken);
        using var response = await container.ReadItemStreamAsync(UnitDocumentId(unitIndex), new PartitionKey(fileId), cancellationToken: cancellationToken);
        if (IsMissing(response)) return null;
        response.EnsureSuccessStatusCode();
        var unit = await JsonSerializer.DeserializeAsync<LedgerUnit>(response.Content, JsonOptions, cancellationToken);
        return unit! with { ETag = response.Headers.ETag };
    }

    /// <summary>Create (no ETag) or replace if-match (ETag): the unit state machine's compare-and-swap.</summary>
    public async Task<LedgerUnit> SaveUnitAsync(LedgerUnit unit, CancellationToken cancellationToken)
    {
        var container = await containers.LedgerAsync(cancellationToken);
        var id = UnitDocumentId(unit.UnitIndex);
        using var body = Document(id, "unit", unit);
        var partition = new PartitionKey(unit.FileId);
        using var response = unit.ETag is null
            ? await container.CreateItemStreamAsync(body, partition, cancellationToken: cancellationToken)
            : await container.ReplaceItemStreamAsync(body, id, partition, new ItemRequestOptions { IfMatchEtag = unit.ETag }, cancellationToken);
        if (response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed)
            throw new LedgerConflictException(unit.FileId, unit.UnitIndex);
        response.EnsureSuccessStatusCode();
        return unit with { ETag = response.Headers.ETag };
    }

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
            {
                var etag = document.TryGetProperty("_etag", out var value) ? value.GetString() : null;
                units.Add(document.Deserialize<LedgerUnit>(JsonOptions)! with { ETag = etag });
            }
        }

        return [.. units.OrderBy(u => u.UnitIndex)];
    }

    /// <summary>
    /// One page of at most one unfinished unit from the file's partition (no COUNT: the emulator server has none, and
    /// counting would read every unit). A page size rather than TOP 1, so that the query has the plain shape of
    /// <see cref="ListUnitsAsync"/>: with TOP 1, whole-suite runs on the emulator server saw the SDK fail to look up the
    /// partition key ranges of one host's container (404 for resource id gAA/AIAAAAE=, the 63rd database's, which holds
    /// a '/'), and every later query of that container fail with it.
    /// </summary>
    public async Task<bool> HasUnfinishedUnitsAsync(string fileId, CancellationToken cancellationToken)
    {
        var container = await containers.LedgerAsync(cancellationToken);
        // OR over parameters rather than IN or ARRAY_CONTAINS: the plainest SQL, which the emulator server runs too.
        var states = UnitStates.Unfinished;
        var query = new QueryDefinition(
                "SELECT c.unitIndex FROM c WHERE c.fileId = @fileId AND c.kind = 'unit' AND ("
                + string.Join(" OR ", states.Select((_, i) => $"c.state = @state{i}")) + ")")
            .WithParameter("@fileId", fileId);
        for (var i = 0; i < states.Count; i++) query = query.WithParameter($"@state{i}", states[i].ToString());
        using var iterator = container.GetItemQueryStreamIterator(
            query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(fileId), MaxItemCount = 1 });
        while (iterator.HasMoreResults)
        {
            using var response = await iterator.ReadNextAsync(cancellationToken);
            response.EnsureSuccessStatusCode();
            using var page = await JsonDocument.ParseAsync(response.Content, cancellationToken: cancellationToken);
            if (page.RootElement.GetProperty("Documents").GetArrayLength() > 0) return true;
        }

        return false;
    }

    /// <summary>
    /// The one cross-partition query (every file is its own partition): ops listings, not the pipeline's path. Cosmos
    /// may answer with a short or empty page and a continuation; empty ones are skipped so a caller sees progress.
    /// </summary>
    public async Task<LedgerFilePage> ListFilesAsync(FileState? state, int pageSize, string? continuation, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var container = await containers.LedgerAsync(cancellationToken);
        var query = state is null
            ? new QueryDefinition("SELECT * FROM c WHERE c.kind = 'file'")
            : new QueryDefinition("SELECT * FROM c WHERE c.kind = 'file' AND c.state = @state").WithParameter("@state", state.Value.ToString());
        using var iterator = container.GetItemQueryStreamIterator(query, continuation, new QueryRequestOptions { MaxItemCount = pageSize });
        var first = true;
        while (iterator.HasMoreResults)
        {
            using var response = await iterator.ReadNextAsync(cancellationToken);
            // The query is ours: a 400 to its first page read from the caller's continuation is that continuation's fault.
            if (first && continuation is not null && response.StatusCode == HttpStatusCode.BadRequest) throw new InvalidContinuationException();
            first = false;
            response.EnsureSuccessStatusCode();
            using var page = await JsonDocument.ParseAsync(response.Content, cancellationToken: cancellationToken);
            var files = page.RootElement.GetProperty("Documents").EnumerateArray().Select(d => d.Deserialize<LedgerFile>(JsonOptions)!).ToList();
            var next = string.IsNullOrEmpty(response.ContinuationToken) ? null : response.ContinuationToken;
            if (files.Count > 0 || next is null) return new LedgerFilePage(files, next);
        }

        return new LedgerFilePage([], null);
    }

    private async Task<T?> ReadAsync<T>(string fileId, string id, CancellationToken cancellationToken)
        where T : class
    {
        var container = await containers.LedgerAsync(cancellationToken);
        using var response = await container.ReadItemStreamAsync(id, new PartitionKey(fileId), cancellationToken: cancellationToken);
        if (IsMissing(response)) return null;
        response.EnsureSuccessStatusCode();
        return await JsonSerializer.DeserializeAsync<T>(response.Content, JsonOptions, cancellationToken);
    }

    /// <summary>The emulator server answers a missing item with 500 rather than 404.</summary>
    private bool IsMissing(ResponseMessage response) =>
        response.StatusCode == HttpStatusCode.NotFound || (options.IsEmulator && response.StatusCode == HttpStatusCode.InternalServerError);

    private static MemoryStream Document<T>(string id, string kind, T record)
    {
        var document = JsonSerializer.SerializeToNode(record, JsonOptions)!.AsObject();
        document["id"] = id;
        document["kind"] = kind;
        return new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(document, JsonOptions));
    }

    private async Task UpsertAsync<T>(string fileId, string id, string kind, T record, CancellationToken cancellationToken)
    {
        var container = await containers.LedgerAsync(cancellationToken);
        using var body = Document(id, kind, record);
        using var response = await container.UpsertItemStreamAsync(body, new PartitionKey(fileId), cancellationToken: cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private static string UnitDocumentId(int unitIndex) => "unit-" + unitIndex.ToString("D5", CultureInfo.InvariantCulture);
}
