using Microsoft.Azure.Cosmos;

namespace PrecisionMed.Adapters.Cosmos;

/// <summary>Hands out the app's Cosmos containers, creating them first on a local stack.</summary>
internal sealed class CosmosContainerProvider(CosmosClient client, CosmosOptions options)
{
    private readonly Lazy<Task<Container>> _ledger = new(() => CreateAsync(client, options, options.LedgerContainer, "/fileId"));

    public Task<Container> LedgerAsync(CancellationToken cancellationToken) => _ledger.Value.WaitAsync(cancellationToken);

    private static async Task<Container> CreateAsync(CosmosClient client, CosmosOptions options, string name, string partitionKeyPath)
    {
        if (!options.CreateIfMissing) return client.GetContainer(options.Database, name);
        Database database = await client.CreateDatabaseIfNotExistsAsync(options.Database);
        Container container = await database.CreateContainerIfNotExistsAsync(name, partitionKeyPath);
        return container;
    }
}
