using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using PrecisionMed.Adapters.Cosmos;
using PrecisionMed.Adapters.Fhir;
using PrecisionMed.Adapters.Settings;
using PrecisionMed.Adapters.Storage;
using PrecisionMed.Core.Cds;
using PrecisionMed.Core.Formats;
using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Pipeline;

namespace PrecisionMed.Adapters;

public static class PrecisionMedServiceCollectionExtensions
{
    /// <summary>The composition on a host's builder: <see cref="AddPrecisionMed(IServiceCollection, IConfiguration, AppConnections)"/> with the host's configuration.</summary>
    /// <param name="builder">The host (the function app's <c>FunctionsApplicationBuilder</c>, a test's <c>HostApplicationBuilder</c>).</param>
    /// <param name="required">The services that must be configured (the function app: all).</param>
    public static IHostApplicationBuilder AddPrecisionMed(this IHostApplicationBuilder builder, AppConnections required = AppConnections.All)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddPrecisionMed(builder.Configuration, required);
        return builder;
    }

    /// <summary>
    /// Everything the function app runs on, from its settings: the pipeline, its Azure adapters, and every settings section
    /// (<c>Pipeline</c>, <c>Limits</c>, <c>Vcf</c>, <c>Knowledge</c>, <c>LabStorage</c>, <c>Cosmos</c>, <c>Fhir</c>,
    /// <c>Notifications</c>) bound and checked when the host starts, so that a missing or malformed setting stops it with
    /// the setting's name rather than failing the first message. The function app, every <c>pmed</c> command that reaches
    /// the app's services and the tests' hosts all call this, so a setting means the same in each; they add only their own
    /// sources and adapters, before this call (a port registered before it is kept: a test's fake, pmed ingest's folder).
    /// </summary>
    /// <param name="required">The services that must be configured (the function app: all).</param>
    public static IServiceCollection AddPrecisionMed(this IServiceCollection services, IConfiguration configuration, AppConnections required = AppConnections.All)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // The configuration the sections are bound from is the container's too, unless the host registered its own.
        services.TryAddSingleton(configuration);
        services.AddLogging();
        services.AddSettings<PipelineOptions>(configuration, PipelineOptions.SectionName);
        services.AddSettings<Core.Pipeline.Reinterpretation.ReinterpretationOptions>(configuration, Core.Pipeline.Reinterpretation.ReinterpretationOptions.SectionName);
        services.AddSettings<LimitsOptions>(configuration, LimitsOptions.SectionName);
        services.AddSettings<VcfOptions>(configuration, VcfOptions.SectionName);
        services.AddSettings<CdsOptions>(configuration, CdsOptions.SectionName);
        services.AddPrecisionMedPipeline();
        services.AddAdapters(configuration);

        if (required.HasFlag(AppConnections.LabStorage))
        {
            services.AddOptions<LabStorageOptions>().Validate(
                o => !string.IsNullOrWhiteSpace(o.ConnectionString) || o.BlobServiceUri is not null && o.QueueServiceUri is not null,
                "The lab storage account is not set: LabStorage (a connection string, local stacks only) or "
                + "LabStorage__blobServiceUri and LabStorage__queueServiceUri (Azure, with the managed identity).");
        }

        if (required.HasFlag(AppConnections.Cosmos) || UsesCosmosKnowledgeStore(configuration))
            services.AddOptions<CosmosOptions>().Validate(o => o.Endpoint is not null, NotSet(CosmosOptions.SectionName, nameof(CosmosOptions.Endpoint)));

        if (required.HasFlag(AppConnections.Fhir))
            services.AddOptions<FhirOptions>().Validate(o => o.BaseUrl is not null, NotSet(FhirOptions.SectionName, nameof(FhirOptions.BaseUrl)));

        return services;
    }

    /// <summary>Read before the container is built: it decides what is registered, so it cannot wait for bound options.</summary>
    internal static bool UsesCosmosKnowledgeStore(IConfiguration configuration) =>
        new KnowledgeOptions { Store = configuration[$"{KnowledgeOptions.SectionName}:{nameof(KnowledgeOptions.Store)}"] ?? string.Empty }.UsesCosmos;

    private static string NotSet(string section, string key) =>
        $"The app setting {section}:{key} is not set (environment variable {section}__{key}).";
}
