using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PrecisionMed.Adapters.Settings;
using PrecisionMed.Adapters.Fhir;
using PrecisionMed.Core.Pipeline;

namespace PrecisionMed.Adapters;

public static partial class AdaptersServiceCollectionExtensions
{
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
}
