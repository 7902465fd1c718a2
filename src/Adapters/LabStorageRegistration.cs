using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PrecisionMed.Adapters.Settings;
using PrecisionMed.Adapters.Storage;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Reinterpretation;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Adapters;

public static partial class AdaptersServiceCollectionExtensions
{
    public static IServiceCollection AddLabStorage(this IServiceCollection services, IConfiguration configuration)
    {
        // "LabStorage" itself holds the connection string (the Functions host's convention), which binding does not read.
        services.AddSettings<LabStorageOptions>(configuration, LabStorageOptions.ConnectionName, (options, section) =>
        {
            if (section.Value is { Length: > 0 } connectionString) options.ConnectionString = connectionString;
        });
        services.TryAddSingleton(Settings<LabStorageOptions>);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<LabStorageOptions>();
            return options.ConnectionString is { Length: > 0 } connection
                ? new BlobServiceClient(connection)
                : new BlobServiceClient(Required(options.BlobServiceUri, "LabStorage__blobServiceUri"), AzureCredentials.For(options.ClientId));
        });
        services.AddSingleton(sp => LabQueueClient(sp.GetRequiredService<LabStorageOptions>(), sp.GetRequiredService<LabStorageOptions>().WorkQueueName));
        services.TryAddSingleton<ILabFileStore, BlobLabFileStore>();
        services.TryAddSingleton<IWorkItemQueue, StorageQueueWorkItemQueue>();
        services.TryAddSingleton<IReinterpretationQueue>(sp =>
        {
            var options = sp.GetRequiredService<LabStorageOptions>();
            return new StorageQueueReinterpretationQueue(LabQueueClient(options, options.ReinterpretationQueueName), options);
        });
        return services;
    }

    /// <summary>
    /// A queue of the lab storage account, by connection string (the local emulator) or by URI and managed identity. The
    /// messages are written as given (<see cref="QueueMessageEncoding.None"/>), as the Functions queue trigger reads them.
    /// </summary>
    internal static QueueClient LabQueueClient(LabStorageOptions options, string queueName)
    {
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
        return options.ConnectionString is { Length: > 0 } connection
            ? new QueueClient(connection, queueName, queueOptions)
            : new QueueClient(new Uri(Required(options.QueueServiceUri, "LabStorage__queueServiceUri"), queueName), AzureCredentials.For(options.ClientId), queueOptions);
    }
}
