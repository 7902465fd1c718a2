using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PrecisionMed.Adapters.Settings;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Diff;

namespace PrecisionMed.Adapters;

public static partial class AdaptersServiceCollectionExtensions
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
        services.AddSettings<KnowledgeDiffOptions>(configuration, KnowledgeDiffOptions.SectionName);
        if (PrecisionMedServiceCollectionExtensions.UsesCosmosKnowledgeStore(configuration)) services.AddCosmosKnowledgeStore(configuration);
        services.AddFhirHttpWriter(configuration);
        services.AddResultNotifier(configuration);
        return services;
    }

    /// <summary>The bound settings, checked (a malformed one throws here with its name if the host did not check at start).</summary>
    private static TOptions Settings<TOptions>(IServiceProvider services) where TOptions : class =>
        services.GetRequiredService<IOptions<TOptions>>().Value;

    private static Uri Required(Uri? value, string setting) =>
        value ?? throw new InvalidOperationException($"The app setting {setting} is not set.");
}
