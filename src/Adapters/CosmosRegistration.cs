using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PrecisionMed.Adapters.Settings;
using PrecisionMed.Adapters.Cosmos;
using PrecisionMed.Core.Cds.Feedback;
using PrecisionMed.Core.Genomics.Index;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Reinterpretation;

namespace PrecisionMed.Adapters;

public static partial class AdaptersServiceCollectionExtensions
{
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
            services.Replace(ServiceDescriptor.Singleton<IReinterpretationLedger, CosmosReinterpretationLedger>());
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
}
