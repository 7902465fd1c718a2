using PrecisionMed.Infra.Tests.Settings;
using Xunit;

namespace PrecisionMed.Infra.Tests.Bicep;

/// <summary>
/// The two Event Grid flows: new lab files to the blob trigger (API filter, retries, dead-letter
/// container) and FHIR change events to the Service Bus topic EMRs subscribe to.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class EventGridTests(BicepFixture fixture)
{
    private static readonly string[] CompletedWriteApis = ["CopyBlob", "FlushWithClose", "PutBlob", "PutBlockList"];
    private static readonly string[] FhirEventTypes =
    [
        "Microsoft.HealthcareApis.FhirResourceCreated",
        "Microsoft.HealthcareApis.FhirResourceDeleted",
        "Microsoft.HealthcareApis.FhirResourceUpdated",
    ];

    public static TheoryData<string> Environments => ["dev", "prod"];

    [Theory]
    [MemberData(nameof(Environments))]
    public void LabIntake_DeliversCompletedWritesUnderIncomingToTheBlobTrigger(string environment)
    {
        var snapshot = fixture.Snapshot(environment);
        var labAccount = snapshot.OfType("Microsoft.Storage/storageAccounts").Single(account => account["name"]!.GetValue<string>().StartsWith("stlab", StringComparison.Ordinal));
        var topic = snapshot.OfType("Microsoft.EventGrid/systemTopics").Single(t => t["properties"]!["topicType"]!.GetValue<string>() == "Microsoft.Storage.StorageAccounts");
        var subscription = snapshot.OfType("Microsoft.EventGrid/systemTopics/eventSubscriptions")
            .Single(s => s["name"]!.GetValue<string>().StartsWith(topic["name"]!.GetValue<string>() + "/", StringComparison.Ordinal))["properties"]!;
        var filter = subscription["filter"]!;
        var trigger = FunctionsMetadata.Bindings.Single(binding => binding.Type == "blobTrigger");

        Assert.Equal(labAccount["id"]!.GetValue<string>(), topic["properties"]!["source"]!.GetValue<string>());
        Assert.Equal("EventGrid", trigger["source"]);
        Assert.Equal(["Microsoft.Storage.BlobCreated"], filter["includedEventTypes"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal($"/blobServices/default/containers/{trigger["path"]!.Split('/')[0]}/", filter["subjectBeginsWith"]!.GetValue<string>());
        var apiFilter = filter["advancedFilters"]!.AsArray().Single()!;
        Assert.Equal("StringIn", apiFilter["operatorType"]!.GetValue<string>());
        Assert.Equal("data.api", apiFilter["key"]!.GetValue<string>());
        Assert.Equal(CompletedWriteApis, apiFilter["values"]!.AsArray().Select(v => v!.GetValue<string>()).Order(StringComparer.Ordinal));

        var endpoint = subscription["destination"]!["properties"]!["endpointUrl"]!.GetValue<string>();
        Assert.Equal("WebHook", subscription["destination"]!["endpointType"]!.GetValue<string>());
        // format('https://{0}/runtime/webhooks/blobs?functionName=Host.Functions.{1}&code={2}', host, function, key)
        Assert.StartsWith("[format('https://{0}/runtime/webhooks/blobs?functionName=Host.Functions.{1}&code={2}', ", endpoint, StringComparison.Ordinal);
        Assert.Contains($", '{trigger.Function}', listKeys(", endpoint, StringComparison.Ordinal);
        Assert.Contains(".systemKeys.blobs_extension", endpoint, StringComparison.Ordinal);

        Assert.InRange(subscription["retryPolicy"]!["maxDeliveryAttempts"]!.GetValue<int>(), 1, 30);
        Assert.InRange(subscription["retryPolicy"]!["eventTimeToLiveInMinutes"]!.GetValue<int>(), 1, 1440);
        var deadLetter = subscription["deadLetterWithResourceIdentity"]!;
        Assert.Equal("SystemAssigned", deadLetter["identity"]!["type"]!.GetValue<string>());
        Assert.Equal("StorageBlob", deadLetter["deadLetterDestination"]!["endpointType"]!.GetValue<string>());
        Assert.Equal(labAccount["id"]!.GetValue<string>(), deadLetter["deadLetterDestination"]!["properties"]!["resourceId"]!.GetValue<string>());
        var container = deadLetter["deadLetterDestination"]!["properties"]!["blobContainerName"]!.GetValue<string>();
        Assert.Equal("intake-deadletter", container); // the container the README and the dead-letter alert name, not another intake folder
        Assert.Contains(
            snapshot.OfType("Microsoft.Storage/storageAccounts/blobServices/containers"),
            deployed => deployed["name"]!.GetValue<string>() == $"{labAccount["name"]!.GetValue<string>()}/default/{container}");
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void FhirEvents_GoToTheFhirEventsTopicByIdentity(string environment)
    {
        var snapshot = fixture.Snapshot(environment);
        var workspace = snapshot.Single("Microsoft.HealthcareApis/workspaces");
        var topic = snapshot.OfType("Microsoft.EventGrid/systemTopics").Single(t => t["properties"]!["topicType"]!.GetValue<string>() == "Microsoft.HealthcareApis.Workspaces");
        var subscription = snapshot.OfType("Microsoft.EventGrid/systemTopics/eventSubscriptions")
            .Single(s => s["name"]!.GetValue<string>().StartsWith(topic["name"]!.GetValue<string>() + "/", StringComparison.Ordinal))["properties"]!;
        var serviceBusTopic = snapshot.OfType("Microsoft.ServiceBus/namespaces/topics").Single(t => t["name"]!.GetValue<string>().EndsWith("/fhir-events", StringComparison.Ordinal));

        Assert.Equal(workspace["id"]!.GetValue<string>(), topic["properties"]!["source"]!.GetValue<string>());
        Assert.Equal(FhirEventTypes, subscription["filter"]!["includedEventTypes"]!.AsArray().Select(t => t!.GetValue<string>()).Order(StringComparer.Ordinal));
        var delivery = subscription["deliveryWithResourceIdentity"]!;
        Assert.Equal("SystemAssigned", delivery["identity"]!["type"]!.GetValue<string>());
        Assert.Equal("ServiceBusTopic", delivery["destination"]!["endpointType"]!.GetValue<string>());
        Assert.Equal(serviceBusTopic["id"]!.GetValue<string>(), delivery["destination"]!["properties"]!["resourceId"]!.GetValue<string>());
        Assert.NotNull(subscription["retryPolicy"]);
    }
}
