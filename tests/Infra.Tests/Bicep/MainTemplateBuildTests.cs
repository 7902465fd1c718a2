using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace PrecisionMed.Infra.Tests.Bicep;

public sealed partial class MainTemplateBuildTests(MainTemplateFixture fixture) : IClassFixture<MainTemplateFixture>
{
    private const string StorageAccountType = "Microsoft.Storage/storageAccounts";
    private const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";

    private CompiledTemplate Template => fixture.Template;

    [Fact]
    public void Build_MainTemplate_SucceedsWithoutDiagnostics()
    {
        Assert.True(fixture.Build.ExitCode == 0, fixture.Build.Describe());
        Assert.True(string.IsNullOrWhiteSpace(fixture.Build.StandardError), fixture.Build.Describe());
    }

    [Fact]
    public void Build_LabDataAccount_AllowsIdentityAccessOnly()
    {
        var properties = LabDataAccount()["properties"]!;

        Assert.Equal("StorageV2", CompiledTemplate.Text(LabDataAccount(), "kind"));
        Assert.False(properties["allowSharedKeyAccess"]?.GetValue<bool>());
        Assert.False(properties["allowBlobPublicAccess"]?.GetValue<bool>());
        Assert.Equal("TLS1_2", CompiledTemplate.Text(properties, "minimumTlsVersion"));
    }

    [Fact]
    public void Build_LabDataContainers_AreIncomingArchiveRejectedInTheAccount()
    {
        var containers = Template.SingleResource($"{StorageAccountType}/blobServices/containers");

        Assert.Equal(["incoming", "archive", "rejected"], Template.LoopItems(containers));
        Assert.StartsWith(ChildNamePrefix(), CompiledTemplate.Text(containers, "name"), StringComparison.Ordinal);
        Assert.Equal("None", CompiledTemplate.Text(containers["properties"]!, "publicAccess"));
    }

    [Fact]
    public void Build_LabDataQueues_AreLabReportsAndItsPoisonQueueInTheAccount()
    {
        var queues = Template.SingleResource($"{StorageAccountType}/queueServices/queues");

        Assert.Equal(["lab-reports", "lab-reports-poison"], Template.LoopItems(queues));
        Assert.StartsWith(ChildNamePrefix(), CompiledTemplate.Text(queues, "name"), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_RoleAssignments_GrantBlobAndQueueDataContributorOnTheAccountOnly()
    {
        var assignments = Template.SingleResource("Microsoft.Authorization/roleAssignments");
        var properties = assignments["properties"]!;

        Assert.Equal(
            new[] { StorageBlobDataContributor, StorageQueueDataContributor }.Order(StringComparer.Ordinal),
            Template.LoopItems(assignments).Order(StringComparer.Ordinal));
        Assert.Equal(
            $"[resourceId('{StorageAccountType}', {LabDataAccountNameExpression()})]",
            CompiledTemplate.Text(assignments, "scope"));
        Assert.StartsWith(
            "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', ",
            CompiledTemplate.Text(properties, "roleDefinitionId"),
            StringComparison.Ordinal);
        Assert.Contains(
            "Microsoft.ManagedIdentity/userAssignedIdentities",
            CompiledTemplate.Text(properties, "principalId"),
            StringComparison.Ordinal);
        Assert.Equal("ServicePrincipal", CompiledTemplate.Text(properties, "principalType"));
        // Deterministic names: a redeployment updates the same assignments instead of adding new ones.
        var name = CompiledTemplate.Text(assignments, "name");
        Assert.StartsWith("[guid(", name, StringComparison.Ordinal);
        Assert.DoesNotContain("newGuid", name, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Build_Outputs_NameNoSecrets()
    {
        Assert.NotEmpty(Template.Outputs);
        foreach (var (name, output) in Template.Outputs)
        {
            Assert.False(SecretLikeName().IsMatch(name), $"Output {name} is named like a secret.");
            var value = output["value"]?.ToJsonString() ?? string.Empty;
            Assert.False(SecretFunction().IsMatch(value), $"Output {name} reads keys or connection strings: {value}");
            Assert.DoesNotContain("secure", CompiledTemplate.Text(output, "type"), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Build_Outputs_IncludeAccountEndpointsAndIdentityClientId()
    {
        Assert.Contains("LAB_DATA_ACCOUNT_NAME", Template.Outputs.Keys);
        Assert.Contains("LAB_DATA_BLOB_ENDPOINT", Template.Outputs.Keys);
        Assert.Contains("LAB_DATA_QUEUE_ENDPOINT", Template.Outputs.Keys);
        Assert.EndsWith(".clientId]", CompiledTemplate.Text(Template.Outputs["MANAGED_IDENTITY_CLIENT_ID"], "value"), StringComparison.Ordinal);
    }

    private JsonObject LabDataAccount() => Template.SingleResource(StorageAccountType);

    private string LabDataAccountNameExpression() => CompiledTemplate.Inner(CompiledTemplate.Text(LabDataAccount(), "name"));

    // Children of the account's default blob or queue service: "<account>/default/<item>".
    private string ChildNamePrefix() => $"[format('{{0}}/{{1}}/{{2}}', {LabDataAccountNameExpression()}, 'default', ";

    [GeneratedRegex("key|secret|connectionstring|password|sas|token", RegexOptions.IgnoreCase)]
    private static partial Regex SecretLikeName();

    [GeneratedRegex(@"list(Keys|AccountSas|ServiceSas|ConnectionStrings|Secrets)\(", RegexOptions.IgnoreCase)]
    private static partial Regex SecretFunction();
}
