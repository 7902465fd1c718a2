using System.Text.Json.Nodes;
using PrecisionMed.Infra.Tests.Settings;
using Xunit;

namespace PrecisionMed.Infra.Tests.Bicep;

[Trait("Tier", "Stack")]
public sealed class LabStorageTemplateTests(BicepFixture fixture)
{
    private const string StorageAccountType = "Microsoft.Storage/storageAccounts";

    private CompiledTemplate LabStorage => fixture.Template.Module("labStorage");

    [Fact]
    public void Build_MainTemplate_SucceedsWithoutDiagnostics()
    {
        Assert.True(fixture.Build.ExitCode == 0, fixture.Build.Describe());
        Assert.True(string.IsNullOrWhiteSpace(fixture.Build.StandardError), fixture.Build.Describe());
    }

    [Theory]
    [InlineData("labStorage")]
    [InlineData("hostStorage")]
    public void Build_StorageAccount_AllowsIdentityAccessOnly(string module)
    {
        var account = fixture.Template.Module(module).SingleResource(StorageAccountType);
        var properties = account["properties"]!;

        Assert.Equal("StorageV2", CompiledTemplate.Text(account, "kind"));
        Assert.False(properties["allowSharedKeyAccess"]?.GetValue<bool>());
        Assert.True(properties["defaultToOAuthAuthentication"]?.GetValue<bool>());
        Assert.False(properties["allowBlobPublicAccess"]?.GetValue<bool>());
        Assert.True(properties["supportsHttpsTrafficOnly"]?.GetValue<bool>());
        Assert.Equal("TLS1_2", CompiledTemplate.Text(properties, "minimumTlsVersion"));
    }

    [Fact]
    public void Build_LabDataContainers_AreTheIntakeFoldersAndTheDeadLetterContainer()
    {
        var containers = LabStorage.SingleResource($"{StorageAccountType}/blobServices/containers");

        Assert.Equal(["incoming", "archive", "rejected", "review", "documents", "intake-deadletter"], LabStorage.LoopItems(containers));
        Assert.StartsWith(ChildNamePrefix(), CompiledTemplate.Text(containers, "name"), StringComparison.Ordinal);
        Assert.Equal("None", CompiledTemplate.Text(containers["properties"]!, "publicAccess"));
    }

    [Fact]
    public void Build_LabDataQueues_AreLabReportsItsPoisonQueueAndTheBlobTriggersPoisonQueue()
    {
        var queues = LabStorage.SingleResource($"{StorageAccountType}/queueServices/queues");

        Assert.Equal(["lab-reports", "lab-reports-poison", "webjobs-blobtrigger-poison", "reinterpretations", "reinterpretations-poison"], LabStorage.LoopItems(queues));
        Assert.StartsWith(ChildNamePrefix(), CompiledTemplate.Text(queues, "name"), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Triggers_ListenOnDeployedQueuesAndContainers()
    {
        var queues = LabStorage.LoopItems(LabStorage.SingleResource($"{StorageAccountType}/queueServices/queues"));
        var containers = LabStorage.LoopItems(LabStorage.SingleResource($"{StorageAccountType}/blobServices/containers"));

        var queueTriggers = FunctionsMetadata.Bindings.Where(binding => binding.Type == "queueTrigger" && binding["connection"] == "LabStorage").ToList();
        var blobTriggers = FunctionsMetadata.Bindings.Where(binding => binding.Type == "blobTrigger").ToList();
        Assert.NotEmpty(queueTriggers);
        Assert.NotEmpty(blobTriggers);
        Assert.All(queueTriggers, trigger => Assert.Contains(trigger["queueName"], queues));
        Assert.All(blobTriggers, trigger => Assert.Contains(trigger["path"]!.Split('/')[0], containers));
    }

    /// <summary>
    /// The blob extension moves a blob whose trigger failed on every attempt to <c>webjobs-blobtrigger-poison</c> in the
    /// account of the blob trigger's connection (the lab data account), not the host's: the queue and the function
    /// listening on it are there.
    /// </summary>
    [Fact]
    public void Build_BlobTriggerPoisonQueue_IsInTheBlobTriggersAccountWhereItsFunctionListens()
    {
        const string poisonQueue = "webjobs-blobtrigger-poison";
        var labQueues = LabStorage.LoopItems(LabStorage.SingleResource($"{StorageAccountType}/queueServices/queues"));
        var hostQueues = fixture.Template.Module("hostStorage").ResourcesOfType($"{StorageAccountType}/queueServices/queues")
            .Select(q => CompiledTemplate.Text(q.Resource, "name")).ToList();

        var blobTriggers = FunctionsMetadata.Bindings.Where(binding => binding.Type == "blobTrigger").ToList();
        var poisonTrigger = Assert.Single(FunctionsMetadata.Bindings, binding => binding.Type == "queueTrigger" && binding["queueName"] == poisonQueue);

        Assert.NotEmpty(blobTriggers);
        Assert.All(blobTriggers, trigger => Assert.Equal("LabStorage", trigger["connection"]));
        Assert.Equal("LabStorage", poisonTrigger["connection"]);
        Assert.Contains(poisonQueue, labQueues);
        Assert.DoesNotContain(hostQueues, q => q.Contains($"'{poisonQueue}'", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_HostStorageQueueTriggers_ListenOnDeployedQueues()
    {
        var host = fixture.Template.Module("hostStorage");
        var queues = host.ResourcesOfType($"{StorageAccountType}/queueServices/queues").Select(q => CompiledTemplate.Text(q.Resource, "name")).ToList();

        var triggers = FunctionsMetadata.Bindings.Where(binding => binding.Type == "queueTrigger" && binding["connection"] == "AzureWebJobsStorage").ToList();

        Assert.All(triggers, trigger => Assert.Contains(queues, q => q.Contains($"'{trigger["queueName"]}'", StringComparison.Ordinal)));
    }

    [Fact]
    public void Build_LabDataBlobs_KeepDeletedAndOverwrittenFilesRecoverable()
    {
        var properties = LabStorage.SingleResource($"{StorageAccountType}/blobServices")["properties"]!;

        Assert.True(properties["isVersioningEnabled"]?.GetValue<bool>());
        Assert.True(properties["deleteRetentionPolicy"]?["enabled"]?.GetValue<bool>());
        Assert.True(properties["containerDeleteRetentionPolicy"]?["enabled"]?.GetValue<bool>());
    }

    [Fact]
    public void Build_LifecyclePolicy_MovesArchiveToCoolThenCold()
    {
        var rules = LabStorage.SingleResource($"{StorageAccountType}/managementPolicies")["properties"]!["policy"]!["rules"]!.AsArray();
        var archive = rules.Single(rule => rule!["definition"]?["filters"]?["prefixMatch"] is JsonArray prefixes
            && prefixes.Any(prefix => prefix!.GetValue<string>() == "archive/"))!;
        var actions = archive["definition"]!["actions"]!["baseBlob"]!;

        Assert.NotNull(actions["tierToCool"]?["daysAfterModificationGreaterThan"]);
        Assert.NotNull(actions["tierToCold"]?["daysAfterModificationGreaterThan"]);
        Assert.True(archive["enabled"]?.GetValue<bool>());
    }

    private string LabDataAccountNameExpression() =>
        CompiledTemplate.Inner(CompiledTemplate.Text(LabStorage.SingleResource(StorageAccountType), "name"));

    // Children of the account's default blob or queue service: "<account>/default/<item>".
    private string ChildNamePrefix() => $"[format('{{0}}/{{1}}/{{2}}', {LabDataAccountNameExpression()}, 'default', ";
}
