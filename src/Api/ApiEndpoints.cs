using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PrecisionMed.Api.Files;
using PrecisionMed.Api.Genomics;
using PrecisionMed.Api.Health;
using PrecisionMed.Core.Genomics.Operations;

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
        Add<Knowledge.ReinterpretationStatusEndpoint>(services);
        services.TryAddSingleton<IFhirResourceSource, FhirServiceResources>();
        services.TryAddSingleton<GenomicsOperations>();
        Add<GenomicsOperationEndpoint>(services);
        return services;
    }

    private static void Add<T>(IServiceCollection services)
        where T : class, IApiEndpoint
    {
        services.TryAddSingleton<T>();
        services.AddSingleton<IApiEndpoint>(provider => provider.GetRequiredService<T>());
    }
}
