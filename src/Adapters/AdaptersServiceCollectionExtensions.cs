using Azure.Messaging.ServiceBus;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PrecisionMed.Adapters.Cosmos;
using PrecisionMed.Adapters.Fhir;
using PrecisionMed.Adapters.Notifications;
using PrecisionMed.Adapters.Settings;
using PrecisionMed.Adapters.Storage;
using PrecisionMed.Core.Cds.Feedback;
using PrecisionMed.Core.Genomics.Index;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Notifications;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Adapters;

public static class AdaptersServiceCollectionExtensions
{
    /// <summary>
    /// The Azure adapters for the pipeline's ports: Blob Storage, Storage Queue, Cosmos DB ledger and
    /// the FHIR service, their settings bound and checked at start. A client is created when first needed; one whose
    /// setting is missing fails then with the name of the setting to add (hosts require theirs at start instead:
    /// <see cref="PrecisionMedServiceCollectionExtensions.AddPrecisionMed(IServiceCollection, IConfiguration, AppConnections)"/>).
    /// A port already registered (a test's fake) is kept.
    /// </summary>
    internal static IServiceCollection AddAdapters(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddLabStorage(configuration);
        services.AddCosmosLedger(configuration);
        services.AddSettings<KnowledgeOptions>(configuration, KnowledgeOptions.SectionName);
        services.AddSettings<Core.Knowledge.Diff.KnowledgeDiffOptions>(configuration, Core.Knowledge.Diff.KnowledgeDiffOptions.SectionName);
        if (PrecisionMedServiceCollectionExtensions.UsesCosmosKnowledgeStore(configuration)) services.AddCosmosKnowledgeStore(configuration);
        services.AddFhirHttpWriter(configuration);
        services.AddResultNotifier(configuration);
        return services;
    }

    /// <summary>
    /// GenomicResultAvailable to the Service Bus topic when <c>Notifications__ServiceBusNamespace</c> is set,
    /// otherwise to the Storage Queue of the same name on the lab storage account (needs <see cref="AddLabStorage"/>).
    /// </summary>
    public static IServiceCollection AddResultNotifier(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<NotificationOptions>(configuration, NotificationOptions.SectionName);
        // Which notifier is registered depends on this one setting, so it is read before the options are bound.
        if (!string.IsNullOrWhiteSpace(configuration[$"{NotificationOptions.SectionName}:{nameof(NotificationOptions.ServiceBusNamespace)}"]))
        {
            services.AddSingleton(sp =>
            {
                var notifications = Settings<NotificationOptions>(sp);
                return new ServiceBusClient(notifications.ServiceBusNamespace, AzureCredentials.For(notifications.ClientId));
            });
            services.TryAddSingleton<IResultNotifier>(sp =>
                new ServiceBusResultNotifier(sp.GetRequiredService<ServiceBusClient>().CreateSender(Settings<NotificationOptions>(sp).Topic)));
            return services;
        }

        services.TryAddSingleton<IResultNotifier>(sp =>
        {
            var options = Settings<NotificationOptions>(sp);
            var storage = sp.GetRequiredService<LabStorageOptions>();
            var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
            var queue = storage.ConnectionString is { Length: > 0 } connection
                ? new QueueClient(connection, options.QueueName, queueOptions)
                : new QueueClient(
                    new Uri(Required(storage.QueueServiceUri, "LabStorage__queueServiceUri"), options.QueueName),
                    AzureCredentials.For(storage.ClientId), queueOptions);
            return new StorageQueueResultNotifier(queue, storage.CreateIfMissing);
        });
        return services;
    }

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
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<LabStorageOptions>();
            var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
            return options.ConnectionString is { Length: > 0 } connection
                ? new QueueClient(connection, options.WorkQueueName, queueOptions)
                : new QueueClient(
                    new Uri(Required(options.QueueServiceUri, "LabStorage__queueServiceUri"), options.WorkQueueName),
                    AzureCredentials.For(options.ClientId), queueOptions);
        });
        services.TryAddSingleton<ILabFileStore, BlobLabFileStore>();
        services.TryAddSingleton<IWorkItemQueue, StorageQueueWorkItemQueue>();
        services.TryAddSingleton<Core.Pipeline.Reinterpretation.IReinterpretationQueue>(sp =>
        {
            var options = sp.GetRequiredService<LabStorageOptions>();
            var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
            var client = options.ConnectionString is { Length: > 0 } connection
                ? new QueueClient(connection, options.ReinterpretationQueueName, queueOptions)
                : new QueueClient(
                    new Uri(Required(options.QueueServiceUri, "LabStorage__queueServiceUri"), options.ReinterpretationQueueName),
                    AzureCredentials.For(options.ClientId), queueOptions);
            return new StorageQueueReinterpretationQueue(client, options);
        });
        return services;
    }

    public static IServiceCollection AddCosmosLedger(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCosmosClient(configuration);
        services.TryAddSingleton<ILabFileLedger, CosmosLabFileLedger>();
        // The genomic index lives beside the ledger, written in the same unit of work; without a Cosmos account (pmed
        // ingest to a folder or a FHIR server alone) it stays the in-memory one.
        if (!string.IsNullOrWhiteSpace(configuration["Cosmos:Endpoint"]))
        {
            services.Replace(ServiceDescriptor.Singleton<IGenomicIndex, CosmosGenomicIndex>());
            services.Replace(ServiceDescriptor.Singleton<ICdsFeedbackStore, CosmosCdsFeedbackStore>());
            services.Replace(ServiceDescriptor.Singleton<Core.Pipeline.Reinterpretation.IReinterpretationLedger, CosmosReinterpretationLedger>());
            services.TryAddSingleton<CosmosKnowledgeStore>();
            services.TryAddKeyedSingleton<IKnowledgeStore>(KnowledgeOptions.LogStoreKey, (sp, _) => sp.GetRequiredService<CosmosKnowledgeStore>());
        }
        return services;
    }

    /// <summary>
    /// The knowledge store on Cosmos DB in place of the embedded seed (whichever of this and
    /// <c>AddPrecisionMedPipeline</c> is called first), and as the importers' writer.
    /// </summary>
    public static IServiceCollection AddCosmosKnowledgeStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCosmosClient(configuration);
        services.TryAddSingleton<CosmosKnowledgeStore>();
        services.Replace(ServiceDescriptor.Singleton<IKnowledgeStore>(sp => sp.GetRequiredService<CosmosKnowledgeStore>()));
        services.Replace(ServiceDescriptor.Singleton<IKnowledgeWriter>(sp => sp.GetRequiredService<CosmosKnowledgeStore>()));
        return services;
    }

    private static void AddCosmosClient(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<CosmosOptions>(configuration, CosmosOptions.SectionName);
        services.TryAddSingleton(Settings<CosmosOptions>);
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<CosmosOptions>();
            var endpoint = Required(options.Endpoint, "Cosmos__Endpoint").ToString();
            var clientOptions = new CosmosClientOptions { ApplicationName = "precisionmed-serverless" };
            clientOptions.CustomHandlers.Add(new RequestCostHandler());
            if (!options.IsEmulator) return new CosmosClient(endpoint, AzureCredentials.For(options.ClientId), clientOptions);

            // The emulator server speaks the gateway protocol only and must not be told about other regions.
            clientOptions.ConnectionMode = ConnectionMode.Gateway;
            clientOptions.LimitToEndpoint = true;
            clientOptions.CustomHandlers.Add(new EmulatorCrossPartitionQueryHandler());
            return new CosmosClient(endpoint, options.EmulatorKey, clientOptions);
        });
        services.TryAddSingleton<CosmosContainerProvider>();
    }

    public static IServiceCollection AddFhirHttpWriter(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<FhirOptions>(configuration, FhirOptions.SectionName);
        services.TryAddSingleton(Settings<FhirOptions>);
        if (services.Any(d => d.ServiceType == typeof(IFhirWriter))) return services;
        var client = services.AddHttpClient<IFhirWriter, FhirHttpWriter>((sp, http) =>
        {
            var baseUrl = Required(sp.GetRequiredService<FhirOptions>().BaseUrl, "Fhir__BaseUrl").ToString();
            http.BaseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/");
            http.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns timeouts
        });
        // Whether the token handler is in the pipeline at all is decided here, before the options are bound.
        if (bool.TryParse(configuration[$"{FhirOptions.SectionName}:{nameof(FhirOptions.UseManagedIdentity)}"], out var managedIdentity) && managedIdentity)
        {
            client.AddHttpMessageHandler(sp =>
            {
                var options = sp.GetRequiredService<FhirOptions>();
                return new EntraTokenHandler(AzureCredentials.For(options.ClientId), Required(options.BaseUrl, "Fhir__BaseUrl").ToString().TrimEnd('/') + "/.default");
            });
        }

        // One limiter and meter per app: every FHIR request of the instance shares the concurrency budget.
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new AdaptiveConcurrencyLimiter(sp.GetRequiredService<FhirOptions>().MaxConcurrency, queueLimit: 1000, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<FhirMetrics>();
        client.AddResilienceHandler("fhir", (pipeline, context) => FhirResilience.Configure(
            pipeline,
            context.ServiceProvider.GetRequiredService<FhirOptions>(),
            context.ServiceProvider.GetRequiredService<AdaptiveConcurrencyLimiter>(),
            context.ServiceProvider.GetRequiredService<FhirMetrics>()));
        client.AddHttpMessageHandler(sp => new FhirAttemptObserver(sp.GetRequiredService<AdaptiveConcurrencyLimiter>(), sp.GetRequiredService<FhirMetrics>()));
        return services;
    }

    /// <summary>The bound settings, checked (a malformed one throws here with its name if the host did not check at start).</summary>
    private static TOptions Settings<TOptions>(IServiceProvider services) where TOptions : class =>
        services.GetRequiredService<IOptions<TOptions>>().Value;

    private static Uri Required(Uri? value, string setting) =>
        value ?? throw new InvalidOperationException($"The app setting {setting} is not set.");
}
