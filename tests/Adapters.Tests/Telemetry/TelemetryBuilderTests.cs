using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Adapters.Telemetry;
using Xunit;

namespace PrecisionMed.Adapters.Tests.Telemetry;

/// <summary>Which exporter the app gets: Azure Monitor with the app's identity in Azure, the console locally.</summary>
[Trait("Tier", "Fast")]
public sealed class TelemetryBuilderTests
{
    [Theory]
    [InlineData("ClientId=00000000-0000-0000-0000-000000000001;Authorization=AAD", "00000000-0000-0000-0000-000000000001")]
    [InlineData(" Authorization = AAD ; clientid = abc ", "abc")]
    [InlineData("Authorization=AAD", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void ClientIdOf_AuthenticationString_TheIdentitysClientId(string? authentication, string? clientId) =>
        Assert.Equal(clientId, TelemetryBuilderExtensions.ClientIdOf(authentication));

    [Fact]
    public void AddPrecisionMedTelemetry_ConnectionStringSet_AzureMonitorExporterNotConsole()
    {
        var names = RegisteredTypeNames(new Dictionary<string, string?>
        {
            [TelemetryBuilderExtensions.ConnectionStringSetting] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://example.invalid/",
            [TelemetryBuilderExtensions.AuthenticationStringSetting] = "ClientId=00000000-0000-0000-0000-000000000001;Authorization=AAD",
        });

        Assert.Contains(names, n => n.Contains("AzureMonitor", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n.Contains("Console", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("false")]
    public void AddPrecisionMedTelemetry_NoConnectionString_NothingSentToAzure(string? console)
    {
        // Local runs: the console exporter (or none, Telemetry:Console=false), never Azure Monitor.
        var names = RegisteredTypeNames(new Dictionary<string, string?> { [TelemetryBuilderExtensions.ConsoleSetting] = console });

        Assert.DoesNotContain(names, n => n.Contains("AzureMonitor", StringComparison.Ordinal));
    }

    /// <summary>The registered services' types: the Azure Monitor exporter registers its own.</summary>
    private static List<string> RegisteredTypeNames(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddOpenTelemetry().AddPrecisionMedTelemetry(configuration);
        // Service and implementation types with their generic arguments (an exporter's options are IConfigureOptions<XOptions>).
        var names = services.Select(d => $"{d.ServiceType} {d.ImplementationType} {d.ImplementationInstance?.GetType()}").ToList();
        return names;
    }
}
