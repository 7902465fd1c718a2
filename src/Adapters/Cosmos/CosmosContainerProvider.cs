using Microsoft.Azure.Cosmos;

namespace PrecisionMed.Adapters.Cosmos;

/// <summary>Hands out the app's Cosmos containers, creating them first on a local stack.</summary>
internal sealed class CosmosContainerProvider(CosmosClient client, CosmosOptions options) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly ContainerSlot _ledger = new(options.LedgerContainer, "/fileId");
    private readonly ContainerSlot _knowledge = new(options.KnowledgeContainer, "/id");
    private readonly ContainerSlot _genomicIndex = new(options.GenomicIndexContainer, "/pk");
    private readonly ContainerSlot _cdsFeedback = new(options.CdsFeedbackContainer, "/pk");

    /// <summary>The ledger container, partitioned by <c>/fileId</c> (a file's record and its units together).</summary>
    public Task<Container> LedgerAsync(CancellationToken cancellationToken) => GetAsync(_ledger, cancellationToken);

    /// <summary>The knowledge container, partitioned by <c>/id</c> (one logical partition per document: point reads only).</summary>
    public Task<Container> KnowledgeAsync(CancellationToken cancellationToken) => GetAsync(_knowledge, cancellationToken);

    /// <summary>The genomic index container, partitioned by <c>/pk</c>.</summary>
    public Task<Container> GenomicIndexAsync(CancellationToken cancellationToken) => GetAsync(_genomicIndex, cancellationToken);

    /// <summary>The CDS Hooks feedback container, partitioned by <c>/pk</c> (the service id).</summary>
    public Task<Container> CdsFeedbackAsync(CancellationToken cancellationToken) => GetAsync(_cdsFeedback, cancellationToken);

    private async Task<Container> GetAsync(ContainerSlot slot, CancellationToken cancellationToken)
    {
        if (slot.Container is { } ready) return ready;

        // Not a cached Lazy<Task>: a first call that fails (the account not reachable yet) must not
        // poison every later call for the life of the worker.
        await _lock.WaitAsync(cancellationToken);
        try
        {
            return slot.Container ??= await CreateAsync(slot.Name, slot.PartitionKeyPath, cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<Container> CreateAsync(string name, string partitionKeyPath, CancellationToken cancellationToken)
    {
        if (!options.CreateIfMissing) return client.GetContainer(options.Database, name);
        Database database = await client.CreateDatabaseIfNotExistsAsync(options.Database, cancellationToken: cancellationToken);
        Container container = await database.CreateContainerIfNotExistsAsync(name, partitionKeyPath, cancellationToken: cancellationToken);
        return container;
    }

    public void Dispose() => _lock.Dispose();

    /// <summary>One container's name and partition key, and the container once made.</summary>
    private sealed class ContainerSlot(string name, string partitionKeyPath)
    {
        public string Name => name;

        public string PartitionKeyPath => partitionKeyPath;

        public Container? Container { get; set; }
    }
}
