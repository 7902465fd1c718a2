using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PrecisionMed.Core.Cds.Feedback;
using PrecisionMed.Core.Cds.Governance;
using PrecisionMed.Core.Cds.Pgx;

namespace PrecisionMed.Core.Cds;

public static class CdsServiceCollectionExtensions
{
    /// <summary>
    /// The CDS Hooks services over the knowledge cache and the genomic index. The FHIR reader of a host, and the feedback
    /// store (Cosmos DB from the adapters; else in memory) are kept when registered first.
    /// </summary>
    public static IServiceCollection AddPrecisionMedCds(this IServiceCollection services)
    {
        services.AddOptions<CdsOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PgxPrescribingService>();
        services.TryAddSingleton<GeneticTestGovernanceService>();
        services.TryAddSingleton<ICdsFeedbackStore, InMemoryCdsFeedbackStore>();
        return services;
    }
}
