using Microsoft.Azure.Cosmos;

namespace PrecisionMed.Adapters.Cosmos;

/// <summary>Hands out the app's Cosmos containers, creating them first on a local stack.</summary>
internal sealed class CosmosContainerProvider(CosmosClient client, CosmosOptions options) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private Container? _ledger;
    private Container? _knowledge;
    private Container? _genomicIndex;
    private Container? _cdsFeedback;

    public async Task<Container> LedgerAsync(CancellationToken cancellationToken)
    {
        if (_ledger is not null) return _ledger;

        // Not a cached Lazy<Task>: a first call that fails (the account not reachable yet) must not
        // poison every later call for the life of the worker.
        await _lock.WaitAsync(cancellationToken);
        try
        {
            return _ledger ??= await CreateAsync(options.LedgerContainer, "/fileId", cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>The knowledge container, partitioned by <c>/id</c> (one logical partition per document: point reads only).</summary>
    public async Task<Container> KnowledgeAsync(CancellationToken cancellationToken)
    {
        if (_knowledge is not null) return _knowledge;
        await _lock.WaitAsync(cancellationToken);
        try
        {
            return _knowledge ??= await CreateAsync(options.KnowledgeContainer, "/id", cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>The genomic index container, partitioned by <c>/pk</c>.</summary>
    public async Task<Container> GenomicIndexAsync(CancellationToken cancellationToken)
    {
        if (_genomicIndex is not null) return _genomicIndex;
        await _lock.WaitAsync(cancellationToken);
        try
        {
            return _genomicIndex ??= await CreateAsync(options.GenomicIndexContainer, "/pk", cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>The CDS Hooks feedback container, partitioned by <c>/pk</c> (the service id).</summary>
    public async Task<Container> CdsFeedbackAsync(CancellationToken cancellationToken)
    {
        if (_cdsFeedback is not null) return _cdsFeedback;
        await _lock.WaitAsync(cancellationToken);
        try
        {
            return _cdsFeedback ??= await CreateAsync(options.CdsFeedbackContainer, "/pk", cancellationToken);
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
}
