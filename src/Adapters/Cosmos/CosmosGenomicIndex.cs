using System.IO.Compression;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Azure.Cosmos;
using PrecisionMed.Core.Genomics.Index;

namespace PrecisionMed.Adapters.Cosmos;

/// <summary>
/// The genomic index in the Cosmos DB container <c>genomic-index</c>, partitioned by <c>/pk</c> so that every operation
/// reads only the partitions it names: <c>subject:Patient/id</c> holds a patient's reports (one document each, with the
/// keys of its population slices); each population key (<see cref="PopulationKey"/>: a gene, a 1 Mb bin, a medication, a
/// condition) holds one slice per report with findings there; <c>subjects</c> holds one marker per indexed patient (the
/// population's denominator, counted in that one partition). A write replaces the report and its slices and deletes the
/// slices it no longer has; writing the same report again writes the same documents (idempotent).
/// </summary>
internal sealed class CosmosGenomicIndex(CosmosContainerProvider containers, CosmosOptions options) : IGenomicIndex
{
    private const string Subjects = "subjects";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public async Task<IReadOnlyList<IndexedReport>> ReadSubjectAsync(string patient, CancellationToken cancellationToken) =>
        [.. (await QueryAsync<ReportDocument>(SubjectPartition(patient), cancellationToken)).Select(d => d.Entry()).OrderBy(r => r.Report, StringComparer.Ordinal)];

    public async Task<IReadOnlyList<IndexedReport>> ReadPopulationAsync(PopulationKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return [.. (await QueryAsync<ReportDocument>(key.Value, cancellationToken)).Select(d => d.Entry()).OrderBy(r => r.Report, StringComparer.Ordinal)];
    }

    public async Task<long> CountSubjectsAsync(CancellationToken cancellationToken) =>
        (await QueryAsync<Marker>(Subjects, cancellationToken)).Count;

    public async Task WriteAsync(IndexedReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var container = await containers.GenomicIndexAsync(cancellationToken);
        var slices = PopulationSlices.Of(report);
        var stale = (await ReadAsync<ReportDocument>(container, ReportId(report.Report), SubjectPartition(report.Patient), cancellationToken))?.Slices ?? [];
        // Each slice is in a partition of its own (no batch spans them), so they go side by side: a report with variants
        // in many bins costs one round trip per slice, but not one after another.
        var sliceId = SliceId(report.Patient, report.Report);
        await Parallel.ForEachAsync(slices, Concurrent(cancellationToken),
            async (slice, ct) => await UpsertAsync(container, new ReportDocument(sliceId, slice.Key.Value, slice.Value, []), ct));
        await Parallel.ForEachAsync(stale.Except(slices.Keys.Select(k => k.Value), StringComparer.Ordinal), Concurrent(cancellationToken),
            async (gone, ct) => await DeleteAsync(container, sliceId, gone, ct));
        await UpsertAsync(container, ReportDocument.Packing(ReportId(report.Report), SubjectPartition(report.Patient), report, [.. slices.Keys.Select(k => k.Value)]), cancellationToken);
        await UpsertAsync(container, new Marker(ReportId(report.Patient), Subjects), cancellationToken);
    }

    public async Task RemoveAsync(string patient, string report, CancellationToken cancellationToken)
    {
        var container = await containers.GenomicIndexAsync(cancellationToken);
        var stored = await ReadAsync<ReportDocument>(container, ReportId(report), SubjectPartition(patient), cancellationToken);
        if (stored is null) return;
        await Parallel.ForEachAsync(stored.Slices, Concurrent(cancellationToken), async (key, ct) => await DeleteAsync(container, SliceId(patient, report), key, ct));
        await DeleteAsync(container, ReportId(report), SubjectPartition(patient), cancellationToken);
        if ((await QueryAsync<Marker>(SubjectPartition(patient), cancellationToken)).Count == 0)
            await DeleteAsync(container, ReportId(patient), Subjects, cancellationToken);
    }

    /// <summary>How many slice writes of one report are in flight at once.</summary>
    private const int SliceWritesInFlight = 16;

    private static ParallelOptions Concurrent(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = SliceWritesInFlight, CancellationToken = cancellationToken };

    private static string SubjectPartition(string patient) => "subject:" + patient;

    /// <summary>Cosmos ids may not hold <c>/</c>: <c>DiagnosticReport/x</c> is stored as <c>DiagnosticReport~x</c>.</summary>
    private static string ReportId(string reference) => reference.Replace('/', '~');

    private static string SliceId(string patient, string report) => $"{ReportId(patient)}|{ReportId(report)}";

    private async Task<List<T>> QueryAsync<T>(string partition, CancellationToken cancellationToken)
    {
        var container = await containers.GenomicIndexAsync(cancellationToken);
        var found = new List<T>();
        using var iterator = container.GetItemQueryStreamIterator(
            // The filter repeats the partition key: the emulator server does not scope a query to the one it is given.
            new QueryDefinition("SELECT * FROM c WHERE c.pk = @pk").WithParameter("@pk", partition), requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(partition) });
        while (iterator.HasMoreResults)
        {
            using var page = await iterator.ReadNextAsync(cancellationToken);
            page.EnsureSuccessStatusCode();
            using var json = await JsonDocument.ParseAsync(page.Content, cancellationToken: cancellationToken);
            foreach (var item in json.RootElement.GetProperty("Documents").EnumerateArray())
            {
                if (item.Deserialize<T>(Json) is { } value) found.Add(value);
            }
        }

        return found;
    }

    private async Task<T?> ReadAsync<T>(Container container, string id, string partition, CancellationToken cancellationToken)
    {
        using var response = await container.ReadItemStreamAsync(id, new PartitionKey(partition), cancellationToken: cancellationToken);
        if (IsMissing(response)) return default;
        response.EnsureSuccessStatusCode();
        return await JsonSerializer.DeserializeAsync<T>(response.Content, Json, cancellationToken);
    }

    private static async Task UpsertAsync<T>(Container container, T document, CancellationToken cancellationToken) where T : IPartitioned
    {
        using var body = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(document, Json), writable: false);
        using var response = await container.UpsertItemStreamAsync(body, new PartitionKey(document.Pk), cancellationToken: cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private async Task DeleteAsync(Container container, string id, string partition, CancellationToken cancellationToken)
    {
        using var response = await container.DeleteItemStreamAsync(id, new PartitionKey(partition), cancellationToken: cancellationToken);
        if (!IsMissing(response)) response.EnsureSuccessStatusCode();
    }

    // The emulator server answers a missing item with 500 rather than 404.
    private bool IsMissing(ResponseMessage response) =>
        response.StatusCode == HttpStatusCode.NotFound
        || (options.IsEmulator && response.StatusCode == HttpStatusCode.InternalServerError);

    private interface IPartitioned
    {
        string Pk { get; }
    }

    /// <summary>
    /// A report (in its patient's partition, with its slices' keys) or a slice of it (in a population partition). A
    /// report's entry is stored gzipped (<see cref="Packed"/>): a VCF report of 10,000 variants is some 3 MB of JSON,
    /// over Cosmos DB's 2 MB item limit, and about a tenth of it packed; slices, a few findings each, are kept as JSON.
    /// </summary>
    private sealed record ReportDocument(string Id, string Pk, IndexedReport? Report, IReadOnlyList<string> Slices, string? Packed = null) : IPartitioned
    {
        public static ReportDocument Packing(string id, string pk, IndexedReport report, IReadOnlyList<string> slices)
        {
            using var packed = new MemoryStream();
            using (var gzip = new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true)) JsonSerializer.Serialize(gzip, report, Json);
            return new ReportDocument(id, pk, null, slices, Convert.ToBase64String(packed.GetBuffer(), 0, (int)packed.Length));
        }

        public IndexedReport Entry()
        {
            if (Report is not null) return Report;
            using var gzip = new GZipStream(new MemoryStream(Convert.FromBase64String(Packed ?? string.Empty)), CompressionMode.Decompress);
            return JsonSerializer.Deserialize<IndexedReport>(gzip, Json) ?? throw new InvalidDataException($"genomic index document {Id} holds no report");
        }
    }

    private sealed record Marker(string Id, string Pk) : IPartitioned;
}
