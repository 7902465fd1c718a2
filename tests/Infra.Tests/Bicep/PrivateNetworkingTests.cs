using Xunit;

namespace PrecisionMed.Infra.Tests.Bicep;

/// <summary>
/// The private-networking switch, evaluated by `bicep snapshot`: prod turns it on (public network
/// access off on every data service, private endpoints and DNS zones, the function app in the
/// VNet), dev leaves it off (no network resources at all).
/// </summary>
[Trait("Tier", "Stack")]
public sealed class PrivateNetworkingTests(BicepFixture fixture)
{
    // Every data service the pipeline talks to, and the private endpoint group ids that reach it.
    private static readonly string[] ServicesWithPublicAccess =
    [
        "Microsoft.Storage/storageAccounts",
        "Microsoft.Storage/storageAccounts",
        "Microsoft.DocumentDB/databaseAccounts",
        "Microsoft.ServiceBus/namespaces",
        "Microsoft.HealthcareApis/workspaces",
        "Microsoft.HealthcareApis/workspaces/fhirservices",
    ];

    private static readonly string[] PrivateEndpointGroups = ["Sql", "blob", "blob", "healthcareworkspace", "namespace", "queue", "queue"];

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void Snapshot_ParametersFile_EvaluatesWithoutDiagnostics(string environment)
    {
        var snapshot = fixture.Snapshot(environment);

        Assert.True(snapshot.Run.ExitCode == 0, snapshot.Run.Describe());
        Assert.NotEmpty(snapshot.Resources);
    }

    [Fact]
    public void PrivateNetworking_On_TurnsPublicNetworkAccessOffEverywhere()
    {
        var prod = fixture.Snapshot("prod");
        var withSetting = prod.Resources.Where(resource => resource["properties"]?["publicNetworkAccess"] is not null).ToList();

        foreach (var type in ServicesWithPublicAccess.Distinct())
        {
            Assert.Equal(ServicesWithPublicAccess.Count(t => t == type), prod.OfType(type).Count);
            Assert.All(prod.OfType(type), resource => Assert.Equal("Disabled", resource["properties"]?["publicNetworkAccess"]?.GetValue<string>()));
        }

        Assert.All(withSetting, resource => Assert.Equal("Disabled", resource["properties"]!["publicNetworkAccess"]!.GetValue<string>()));
        Assert.All(prod.OfType("Microsoft.Storage/storageAccounts"), account =>
            Assert.Equal("Deny", account["properties"]!["networkAcls"]!["defaultAction"]!.GetValue<string>()));
        Assert.Equal("Premium", prod.Single("Microsoft.ServiceBus/namespaces")["sku"]!["name"]!.GetValue<string>());
        Assert.Equal("Deny", prod.Single("Microsoft.ServiceBus/namespaces/networkRuleSets")["properties"]!["defaultAction"]!.GetValue<string>());
    }

    [Fact]
    public void PrivateNetworking_On_ReachesEveryServiceThroughAPrivateEndpointWithDns()
    {
        var prod = fixture.Snapshot("prod");
        var endpoints = prod.OfType("Microsoft.Network/privateEndpoints");
        var serviceIds = ServicesWithPublicAccess.Distinct()
            .Where(type => type != "Microsoft.HealthcareApis/workspaces/fhirservices") // reached through its workspace
            .SelectMany(type => prod.OfType(type))
            .Select(resource => resource["id"]!.GetValue<string>())
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var connections = endpoints
            .Select(endpoint => endpoint["properties"]!["privateLinkServiceConnections"]![0]!["properties"]!)
            .ToList();

        Assert.Equal(PrivateEndpointGroups, connections.Select(c => c["groupIds"]![0]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.All(connections, c => Assert.Contains(c["privateLinkServiceId"]!.GetValue<string>(), serviceIds));
        Assert.Equal(serviceIds.Count, connections.Select(c => c["privateLinkServiceId"]!.GetValue<string>()).Distinct(StringComparer.OrdinalIgnoreCase).Count());

        var zoneIds = prod.OfType("Microsoft.Network/privateDnsZones").Select(zone => zone["id"]!.GetValue<string>()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var zoneGroups = prod.OfType("Microsoft.Network/privateEndpoints/privateDnsZoneGroups");
        Assert.Equal(endpoints.Count, zoneGroups.Count);
        Assert.All(zoneGroups, group => Assert.All(
            group["properties"]!["privateDnsZoneConfigs"]!.AsArray(),
            config => Assert.Contains(config!["properties"]!["privateDnsZoneId"]!.GetValue<string>(), zoneIds)));
        Assert.Equal(zoneIds.Count, prod.OfType("Microsoft.Network/privateDnsZones/virtualNetworkLinks").Count);
    }

    [Fact]
    public void PrivateNetworking_On_PutsTheFunctionAppInADelegatedSubnet()
    {
        var prod = fixture.Snapshot("prod");
        var subnetId = prod.Single("Microsoft.Web/sites")["properties"]!["virtualNetworkSubnetId"]?.GetValue<string>();
        var subnet = prod.OfType("Microsoft.Network/virtualNetworks/subnets")
            .SingleOrDefault(candidate => string.Equals(candidate["id"]!.GetValue<string>(), subnetId, StringComparison.OrdinalIgnoreCase));

        Assert.NotNull(subnet);
        Assert.Equal("Microsoft.App/environments", subnet["properties"]!["delegations"]![0]!["properties"]!["serviceName"]!.GetValue<string>());
    }

    [Fact]
    public void PrivateNetworking_Off_DeploysNoNetworkAndKeepsPublicEndpoints()
    {
        var dev = fixture.Snapshot("dev");

        Assert.DoesNotContain(dev.Resources, resource => resource["type"]!.GetValue<string>().StartsWith("Microsoft.Network/", StringComparison.Ordinal));
        Assert.All(
            dev.Resources.Where(resource => resource["properties"]?["publicNetworkAccess"] is not null),
            resource => Assert.Equal("Enabled", resource["properties"]!["publicNetworkAccess"]!.GetValue<string>()));
        Assert.Null(dev.Single("Microsoft.Web/sites")["properties"]!["virtualNetworkSubnetId"]);
        Assert.Equal("Standard", dev.Single("Microsoft.ServiceBus/namespaces")["sku"]!["name"]!.GetValue<string>());
    }
}
