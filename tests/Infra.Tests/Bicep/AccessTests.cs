using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace PrecisionMed.Infra.Tests.Bicep;

/// <summary>
/// Who may do what: every role assignment names one resource as its scope and grants the least
/// role that works; key-based access is off on every service; no key, connection string or SAS
/// is read anywhere but the one webhook URL Event Grid needs.
/// </summary>
[Trait("Tier", "Stack")]
public sealed partial class AccessTests(BicepFixture fixture)
{
    private const string RoleAssignmentType = "Microsoft.Authorization/roleAssignments";

    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string FhirDataContributor = "5a1fc7df-4bf1-4951-a576-89034ee01acd";
    private const string ServiceBusDataSender = "69a216fc-b8fb-44d8-bc22-1f3c2552a39a";
    private const string ServiceBusDataReceiver = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    private const string CosmosBuiltInDataContributor = "00000000-0000-0000-0000-000000000002";

    private CompiledTemplate Template => fixture.Template;

    public static TheoryData<string, string, string> AppRoles => new()
    {
        // module, role definition, resource type of the scope
        { "hostStorage", StorageBlobDataOwner, "Microsoft.Storage/storageAccounts" },
        { "hostStorage", StorageQueueDataContributor, "Microsoft.Storage/storageAccounts" },
        { "labStorage", StorageBlobDataContributor, "Microsoft.Storage/storageAccounts" },
        { "labStorage", StorageQueueDataContributor, "Microsoft.Storage/storageAccounts" },
        { "fhir", FhirDataContributor, "Microsoft.HealthcareApis/workspaces/fhirservices" },
        { "serviceBus", ServiceBusDataSender, "Microsoft.ServiceBus/namespaces/topics" },
        { "monitoring", MonitoringMetricsPublisher, "Microsoft.Insights/components" },
    };

    [Theory]
    [MemberData(nameof(AppRoles))]
    public void RoleAssignments_GrantTheAppItsRoleOnOneResource(string module, string roleDefinitionId, string scopeType)
    {
        var template = Template.Module(module);
        var assignment = template.Resources.SingleOrDefault(resource =>
            CompiledTemplate.Text(resource, "type") == RoleAssignmentType && template.RoleDefinitionIds(resource).Contains(roleDefinitionId));

        Assert.True(assignment is not null, $"Module {module} grants no role {roleDefinitionId}.");
        Assert.StartsWith($"[resourceId('{scopeType}', ", CompiledTemplate.Text(assignment, "scope"), StringComparison.Ordinal);
        // The module's appPrincipalId, which main.bicep sets to the app identity's principal id.
        Assert.Equal("[parameters('appPrincipalId')]", CompiledTemplate.Text(assignment["properties"]!, "principalId"));
        Assert.Equal(
            "[reference('identity').outputs.principalId.value]",
            Template.ModuleParameter(module, "appPrincipalId").GetValue<string>());
        Assert.Equal("ServicePrincipal", CompiledTemplate.Text(assignment["properties"]!, "principalType"));
    }

    [Fact]
    public void RoleAssignments_AreEachScopedToOneResourceWithADeterministicName()
    {
        var assignments = Template.ResourcesOfType(RoleAssignmentType);

        Assert.True(assignments.Count >= 9, $"Only {assignments.Count} role assignments were found.");
        foreach (var assignment in assignments)
        {
            // An extension resource without a scope lands on the resource group: never wanted here.
            var scope = assignment.Resource["scope"]?.GetValue<string>();
            Assert.True(scope is not null, $"{assignment.Path} has no scope: it would apply to the whole resource group.");
            Assert.Matches(ResourceScope(), scope);
            Assert.DoesNotContain("resourceGroup()", scope, StringComparison.Ordinal);
            Assert.DoesNotContain("subscription()", scope, StringComparison.Ordinal);

            var name = CompiledTemplate.Text(assignment.Resource, "name");
            Assert.StartsWith("[guid(", name, StringComparison.Ordinal);
            Assert.DoesNotContain("newGuid", name, StringComparison.OrdinalIgnoreCase);
            Assert.StartsWith(
                "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', ",
                CompiledTemplate.Text(assignment.Properties, "roleDefinitionId"),
                StringComparison.Ordinal);
        }
    }

    [Fact]
    public void RoleAssignments_OfEventGridAndEmrs_AreNarrow()
    {
        var deadLetter = Template.Module("labIntakeEvents").SingleResource(RoleAssignmentType);
        Assert.StartsWith("[resourceId('Microsoft.Storage/storageAccounts/blobServices/containers', ", CompiledTemplate.Text(deadLetter, "scope"), StringComparison.Ordinal);
        Assert.Equal([StorageBlobDataContributor], Template.Module("labIntakeEvents").RoleDefinitionIds(deadLetter));

        var fhirEventsSender = Template.Module("fhirEvents").SingleResource(RoleAssignmentType);
        Assert.StartsWith("[resourceId('Microsoft.ServiceBus/namespaces/topics', ", CompiledTemplate.Text(fhirEventsSender, "scope"), StringComparison.Ordinal);
        Assert.Equal([ServiceBusDataSender], Template.Module("fhirEvents").RoleDefinitionIds(fhirEventsSender));

        var serviceBus = Template.Module("serviceBus");
        var receivers = serviceBus.Resources.Where(resource =>
            CompiledTemplate.Text(resource, "type") == RoleAssignmentType && serviceBus.RoleDefinitionIds(resource).Contains(ServiceBusDataReceiver)).ToList();
        Assert.Equal(2, receivers.Count);
        Assert.All(receivers, receiver => Assert.StartsWith(
            "[resourceId('Microsoft.ServiceBus/namespaces/topics/subscriptions', ", CompiledTemplate.Text(receiver, "scope"), StringComparison.Ordinal));
    }

    [Fact]
    public void CosmosRoleAssignment_IsTheBuiltInDataContributorOnTheDatabase()
    {
        var cosmos = Template.Module("cosmos");
        var assignment = cosmos.SingleResource("Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments")["properties"]!;

        Assert.Equal(CosmosBuiltInDataContributor, cosmos.ResolveText("[variables('dataContributorRoleId')]"));
        Assert.EndsWith("variables('dataContributorRoleId'))]", CompiledTemplate.Text(assignment, "roleDefinitionId"), StringComparison.Ordinal);
        Assert.Equal(
            "[format('{0}/dbs/{1}', resourceId('Microsoft.DocumentDB/databaseAccounts', parameters('name')), variables('databaseName'))]",
            CompiledTemplate.Text(assignment, "scope"));
    }

    [Fact]
    public void LocalAuth_IsOffOnEveryService()
    {
        var storageAccounts = Template.ResourcesOfType("Microsoft.Storage/storageAccounts");
        Assert.Equal(2, storageAccounts.Count);
        Assert.All(storageAccounts, account => Assert.False(account.Properties["allowSharedKeyAccess"]?.GetValue<bool>(), account.Path));

        Assert.True(Single("Microsoft.DocumentDB/databaseAccounts").Properties["disableLocalAuth"]?.GetValue<bool>());
        Assert.True(Single("Microsoft.DocumentDB/databaseAccounts").Properties["disableKeyBasedMetadataWriteAccess"]?.GetValue<bool>());
        Assert.True(Single("Microsoft.ServiceBus/namespaces").Properties["disableLocalAuth"]?.GetValue<bool>());
        Assert.True(Single("Microsoft.Insights/components").Properties["DisableLocalAuth"]?.GetValue<bool>());

        var basicAuth = Template.ResourcesOfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies");
        Assert.Equal(["ftp", "scm"], basicAuth.Select(policy => CompiledTemplate.Text(policy.Resource, "name").Split('\'')[^2]).Order(StringComparer.Ordinal));
        Assert.All(basicAuth, policy => Assert.False(policy.Properties["allow"]?.GetValue<bool>()));
    }

    [Fact]
    public void Fhir_AuthenticatesWithEntraIdOnly()
    {
        var properties = Single("Microsoft.HealthcareApis/workspaces/fhirservices").Properties;
        var authentication = properties["authenticationConfiguration"]!;

        Assert.Equal("fhir-R4", CompiledTemplate.Text(Single("Microsoft.HealthcareApis/workspaces/fhirservices").Resource, "kind"));
        Assert.Contains("environment().authentication.loginEndpoint", CompiledTemplate.Text(authentication, "authority"), StringComparison.Ordinal);
        Assert.Contains("tenant().tenantId", CompiledTemplate.Text(authentication, "authority"), StringComparison.Ordinal);
        Assert.False(authentication["smartProxyEnabled"]?.GetValue<bool>());
        Assert.False(properties["importConfiguration"]?["enabled"]?.GetValue<bool>());
        Assert.Null(properties["exportConfiguration"]);
    }

    [Fact]
    public void Secrets_AreReadOnlyForTheBlobTriggerWebhook()
    {
        var readers = new List<string>();
        Visit(Template.Root, "$", readers);

        // Event Grid calls the blob extension's webhook with its system key: the one secret, held by
        // Event Grid (write-only there), never in a setting or an output.
        var reader = Assert.Single(readers);
        Assert.StartsWith("$.resources.labIntakeEvents.properties.template.resources", reader, StringComparison.Ordinal);
        Assert.EndsWith(".properties.destination.properties.endpointUrl", reader, StringComparison.Ordinal);
        var subscription = Template.Module("labIntakeEvents").SingleResource("Microsoft.EventGrid/systemTopics/eventSubscriptions");
        Assert.Matches(SecretPatterns.SecretFunction(), subscription["properties"]!["destination"]!["properties"]!["endpointUrl"]!.GetValue<string>());
    }

    [Fact]
    public void Outputs_NameNoSecretsAndReadNoKeys()
    {
        var outputs = Template.AllOutputs().ToList();
        Assert.NotEmpty(outputs);
        foreach (var (path, output) in outputs)
        {
            var name = path.Split('.')[^1];
            Assert.False(SecretPatterns.SecretLikeName().IsMatch(name) && name != "appInsightsConnectionString", $"Output {path} is named like a secret.");
            var value = output.ToJsonString();
            Assert.False(SecretPatterns.SecretFunction().IsMatch(value), $"Output {path} reads keys or connection strings: {value}");
            Assert.DoesNotContain("secure", CompiledTemplate.Text(output, "type"), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Outputs_IncludeEndpointsAndIdentityClientId()
    {
        foreach (var name in new[] { "AZURE_FUNCTION_APP_NAME", "LAB_DATA_ACCOUNT_NAME", "LAB_DATA_BLOB_ENDPOINT", "LAB_DATA_QUEUE_ENDPOINT", "COSMOS_ENDPOINT", "FHIR_URL", "SERVICE_BUS_NAMESPACE" })
        {
            Assert.Contains(name, Template.Outputs.Keys);
        }

        Assert.Equal("[reference('identity').outputs.clientId.value]", CompiledTemplate.Text(Template.Outputs["MANAGED_IDENTITY_CLIENT_ID"], "value"));
        Assert.EndsWith(".clientId]", CompiledTemplate.Text(Template.Module("identity").Outputs["clientId"], "value"), StringComparison.Ordinal);
    }

    private TemplateResource Single(string type)
    {
        var matches = Template.ResourcesOfType(type);
        Assert.True(matches.Count == 1, $"Expected one {type}, found {matches.Count}.");
        return matches[0];
    }

    // Walks the whole compiled JSON (modules, their parameters and outputs included) and records
    // the JSON path of every value that calls a list*() function: keys, connection strings, SAS.
    private static void Visit(JsonNode? node, string path, List<string> readers)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    Visit(value, $"{path}.{key}", readers);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Visit(array[i], $"{path}[{i}]", readers);
                }

                break;
            case JsonValue value when value.TryGetValue<string>(out var text) && SecretPatterns.SecretFunction().IsMatch(text):
                readers.Add(path);
                break;
        }
    }

    [GeneratedRegex(@"^\[resourceId\('Microsoft\.[A-Za-z]+/[A-Za-z/]+', ")]
    private static partial Regex ResourceScope();
}
