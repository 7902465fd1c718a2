using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Pipeline;
using Xunit;

namespace PrecisionMed.Adapters.Tests.Settings;

/// <summary>
/// <see cref="PrecisionMedServiceCollectionExtensions.AddPrecisionMed(IServiceCollection, IConfiguration, AppConnections)"/>'s settings: which are required for which host, how a
/// failure names the setting, and binding once however often the adapters are added. No service is reached.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class AppSettingsTests
{
    [Fact]
    public void AddPrecisionMedApp_NothingSetNothingRequired_StartsWithTheEmbeddedKnowledge()
    {
        using var services = Build([], AppConnections.None);

        services.GetRequiredService<IStartupValidator>().Validate();
        Assert.Same(EmbeddedKnowledgeSeed.Instance, services.GetRequiredService<IKnowledgeStore>());
    }

    [Fact]
    public void AddPrecisionMedApp_NothingSetAllRequired_NamesEachMissingService()
    {
        using var services = Build([], AppConnections.All);

        var failure = Assert.Throws<AggregateException>(services.GetRequiredService<IStartupValidator>().Validate);

        var message = string.Join(" ", failure.InnerExceptions.Select(e => e.Message));
        Assert.Contains("The lab storage account is not set: LabStorage", message, StringComparison.Ordinal);
        Assert.Contains("The app setting Cosmos:Endpoint is not set (environment variable Cosmos__Endpoint).", message, StringComparison.Ordinal);
        Assert.Contains("The app setting Fhir:BaseUrl is not set (environment variable Fhir__BaseUrl).", message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddPrecisionMedApp_KnowledgeOnCosmosWithoutEndpoint_RequiresTheEndpoint()
    {
        using var services = Build(new() { ["Knowledge:Store"] = "cosmos" }, AppConnections.None);

        var failure = Assert.Throws<OptionsValidationException>(services.GetRequiredService<IStartupValidator>().Validate);

        Assert.Equal("The app setting Cosmos:Endpoint is not set (environment variable Cosmos__Endpoint).", failure.Message);
    }

    [Theory]
    [InlineData("Limits:MaxJsonDepth", "0", "Limits:MaxJsonDepth must be at least 1 (environment variable Limits__MaxJsonDepth).")]
    [InlineData("Vcf:HomoplasmicRatio", "0", "The field Vcf:HomoplasmicRatio must be between 0 exclusive and 1 (environment variable Vcf__HomoplasmicRatio).")]
    [InlineData("Vcf:DiplotypeInfoKey", "PGX DIPLOTYPE", "Vcf:DiplotypeInfoKey must be a VCF INFO key: a letter or '_', then letters, digits, '_' or '.' (environment variable Vcf__DiplotypeInfoKey).")]
    [InlineData("LabStorage:BlobServiceUri", "/blobs", "LabStorage:BlobServiceUri must be an absolute http or https URL (environment variable LabStorage__BlobServiceUri).")]
    public void AddPrecisionMedApp_MalformedSetting_OneMessageNamingTheSettingAndItsVariable(string setting, string value, string message)
    {
        using var services = Build(new() { [setting] = value }, AppConnections.None);

        var failure = Assert.Throws<OptionsValidationException>(services.GetRequiredService<IStartupValidator>().Validate);

        Assert.Equal(message, failure.Message);
    }

    [Fact]
    public void AddPrecisionMedApp_AdaptersAddedAgain_ListSettingsBoundOnce()
    {
        var configuration = Configuration(new() { ["Pipeline:KnownLabs:0"] = "lab-a", ["Vcf:Genes:0"] = "CYP2C19", ["Cosmos:Endpoint"] = "http://127.0.0.1:1/" });
        var collection = new ServiceCollection().AddPrecisionMed(configuration, AppConnections.None);
        collection.AddAdapters(configuration).AddCosmosKnowledgeStore(configuration).AddPrecisionMed(configuration, AppConnections.None);
        using var services = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.Equal(["lab-a"], services.GetRequiredService<IOptions<PipelineOptions>>().Value.KnownLabs);
        Assert.Equal(["CYP2C19"], services.GetRequiredService<IOptions<VcfOptions>>().Value.Genes);
    }

    /// <summary>A host that skips the start check still cannot use a malformed setting: the adapter fails naming it.</summary>
    [Fact]
    public void FhirWriter_MalformedSettingWithoutStartCheck_FailsNamingItWhenResolved()
    {
        using var services = new ServiceCollection()
            .AddFhirHttpWriter(Configuration(new() { ["Fhir:BaseUrl"] = "http://fhir.test/", ["Fhir:MaxConcurrency"] = "0" }))
            .BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(services.GetRequiredService<Core.Pipeline.IFhirWriter>);

        Assert.Equal("The field Fhir:MaxConcurrency must be between 1 and 10000 (environment variable Fhir__MaxConcurrency).", failure.Message);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, AppConnections required) =>
        new ServiceCollection()
            .AddPrecisionMed(Configuration(settings), required)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}
