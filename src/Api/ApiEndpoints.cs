using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrecisionMed.Api.Cds;
using PrecisionMed.Api.Files;
using PrecisionMed.Api.Genomics;
using PrecisionMed.Api.Health;
using PrecisionMed.Api.Security;
using PrecisionMed.Core.Cds;
using PrecisionMed.Core.Cds.Feedback;
using PrecisionMed.Core.Cds.Governance;
using PrecisionMed.Core.Cds.Pgx;
using PrecisionMed.Core.Genomics.Operations;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Pipeline.Reinterpretation;

namespace PrecisionMed.Api;

/// <summary>The app's HTTP endpoints, registered once for both hosts (the Functions worker and <c>pmed serve</c>).</summary>
public static class ApiEndpoints
{
    /// <summary>
    /// Registers every endpoint as itself and as <see cref="IApiEndpoint"/>, singletons like the pipeline services they
    /// use. The app's services (<c>AddPrecisionMed</c>) must be registered too.
    /// </summary>
    public static IServiceCollection AddPrecisionMedApi(this IServiceCollection services)
    {
        Add<HealthEndpoint>(services);
        Add<FileListEndpoint>(services);
        Add<FileStatusEndpoint>(services);
        Add<FileReplayEndpoint>(services);
        // The logs where they are kept (the Cosmos DB container) even when knowledge is read from the embedded seed.
        services.TryAddSingleton(sp => new Knowledge.ReinterpretationStatusEndpoint(
            sp.GetKeyedService<IKnowledgeStore>(KnowledgeOptions.LogStoreKey) ?? sp.GetRequiredService<IKnowledgeStore>(),
            sp.GetRequiredService<IReinterpretationLedger>()));
        Add<Knowledge.ReinterpretationStatusEndpoint>(services);
        services.TryAddSingleton<IFhirResourceSource, FhirServiceResources>();
        services.TryAddSingleton<GenomicsOperations>();
        services.TryAddSingleton<BearerTokenValidator>();
        services.TryAddSingleton<GenomicsAccess>();
        Add<GenomicsOperationEndpoint>(services);
        AddCds(services);
        return services;
    }

    /// <summary>
    /// The CDS Hooks endpoints: discovery, the services, feedback and its counts. One HTTP client for the issuers' JWKS
    /// and the EHRs' FHIR servers (short timeouts: a CDS call sits in a clinician's click path; a FHIR read's own is
    /// <see cref="CdsOptions.FhirTimeout"/>).
    /// </summary>
    private static void AddCds(IServiceCollection services)
    {
        services.AddPrecisionMedCds();
        services.TryAddKeyedSingleton(CdsHttp, (sp, _) => new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromSeconds(Math.Max(10, sp.GetRequiredService<IOptions<CdsOptions>>().Value.FhirTimeout.TotalSeconds + 1)),
        });
        services.TryAddSingleton<ICdsFhirReader>(sp => new CdsFhirReader(
            sp, sp.GetRequiredKeyedService<HttpClient>(CdsHttp), sp.GetRequiredService<IOptions<CdsOptions>>().Value.FhirTimeout));
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<CdsOptions>>().Value;
            var clock = sp.GetRequiredService<TimeProvider>();
            return new CdsJwtValidator(
                new TrustedIssuers(options.TrustedIssuers), new JwksCache(sp.GetRequiredKeyedService<HttpClient>(CdsHttp), clock), clock, options.ClockSkew, options.MaxTokenLifetime);
        });
        services.TryAddSingleton(sp => new CdsCaller(sp.GetRequiredService<CdsJwtValidator>(), sp.GetRequiredService<IOptions<CdsOptions>>()));
        services.TryAddSingleton(sp => new CdsServiceEndpoint(
            sp.GetRequiredService<PgxPrescribingService>(), sp.GetRequiredService<GeneticTestGovernanceService>(), sp.GetRequiredService<CdsCaller>(),
            sp.GetRequiredService<ILogger<CdsServiceEndpoint>>()));
        services.TryAddSingleton(sp => new CdsFeedbackEndpoint(sp.GetRequiredService<ICdsFeedbackStore>(), sp.GetRequiredService<CdsCaller>()));
        Add<CdsDiscoveryEndpoint>(services);
        Add<CdsServiceEndpoint>(services);
        Add<CdsFeedbackEndpoint>(services);
        Add<CdsFeedbackCountsEndpoint>(services);
    }

    private const string CdsHttp = "cds";

    private static void Add<T>(IServiceCollection services)
        where T : class, IApiEndpoint
    {
        services.TryAddSingleton<T>();
        services.AddSingleton<IApiEndpoint>(provider => provider.GetRequiredService<T>());
    }
}
