using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Functions.Triggers;
using PrecisionMed.Testing.Stack;

namespace PrecisionMed.Functions.Tests.Hosting;

/// <summary>
/// A lab file's arrival failing on every attempt as the Functions host handles it on Azure (Event Grid source), on the
/// local stack: the host's blob extension poisons it (<see cref="BlobTriggerExtension"/>), and the message is received
/// from the poison queue as ArrivalPoisonFunction's queue trigger hands it over.
/// </summary>
internal static class ArrivalPoisoning
{
    /// <summary>The FunctionId the Event Grid subscription's webhook names (infra/bicep/modules/labIntakeEvents.bicep).</summary>
    public const string FunctionId = "Host.Functions." + nameof(LabFileArrivedFunction);

    /// <summary>The queue ArrivalPoisonFunction's trigger names (its functions.metadata is checked in FunctionsMetadataTests).</summary>
    public const string PoisonQueue = "webjobs-blobtrigger-poison";

    /// <summary>
    /// The blob trigger's whole failure path in the extension: the Event Grid event queued on the host's blob-trigger
    /// queue, every delivery failed, then the move to the poison queue. The host's own poison queue is given as an
    /// account nobody listens on (a closed port): the message must reach the trigger connection's account anyway.
    /// Returns the deliveries the extension made.
    /// </summary>
    public static async Task<int> PoisonAsync(LocalStack stack, PipelineHost host, string labId, string name, CancellationToken ct)
    {
        var blob = host.Blobs.GetBlobContainerClient(LabFileAreas.Incoming).GetBlobClient($"{labId}/{name}");
        var eTag = (await blob.GetPropertiesAsync(cancellationToken: ct)).Value.ETag.ToString();
        var extensionQueues = new QueueClientOptions { MessageEncoding = BlobTriggerExtension.MessageEncoding };
        var hostQueue = new QueueServiceClient(stack.AzuriteConnectionString, extensionQueues).GetQueueClient("azure-webjobs-blobtrigger-" + Guid.NewGuid().ToString("N")[..16]);
        var elsewhere = new QueueServiceClient(
            new Uri($"http://127.0.0.1:{LoopbackPorts.Closed}/{LocalStack.AzuriteAccountName}"),
            new Azure.Storage.StorageSharedKeyCredential(LocalStack.AzuriteAccountName, LocalStack.AzuriteAccountKey),
            new QueueClientOptions { MessageEncoding = BlobTriggerExtension.MessageEncoding, Retry = { MaxRetries = 0, NetworkTimeout = TimeSpan.FromSeconds(5) } });
        var labQueues = new QueueServiceClient(stack.AzuriteConnectionString, extensionQueues);

        await BlobTriggerExtension.EnqueueAsync(hostQueue, BlobTriggerExtension.TriggerMessageFromEventGrid(blob, eTag, FunctionId), ct);
        var deliveries = await BlobTriggerExtension.FailEveryDeliveryAsync(
            hostQueue, elsewhere.GetQueueClient(BlobTriggerExtension.PoisonQueueName), FunctionId, host.Blobs, labQueues, ct);
        await hostQueue.DeleteIfExistsAsync(ct);
        return deliveries;
    }

    /// <summary>
    /// The lab's messages on the lab account's blob-trigger poison queue, as ArrivalPoisonFunction's trigger receives
    /// them: with the encoding host.json sets for queue triggers. Other labs' messages are left for their tests.
    /// </summary>
    public static async Task<List<string>> ReceiveAsync(LocalStack stack, string labId, CancellationToken ct)
    {
        var queue = new QueueClient(stack.AzuriteConnectionString, PoisonQueue, new QueueClientOptions { MessageEncoding = HostJsonQueueEncoding() });
        var mine = new List<string>();
        foreach (var message in (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1), ct)).Value)
        {
            var text = message.Body.ToString();
            if (!JsonOf(text).Contains($"\"{labId}/", StringComparison.Ordinal))
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: ct);
                continue;
            }

            mine.Add(text);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
        }

        return mine;
    }

    /// <summary>The JSON of a received poison message, whichever encoding the trigger read it with.</summary>
    public static string JsonOf(string received) =>
        received.TrimStart().StartsWith('{') ? received : Encoding.UTF8.GetString(Convert.FromBase64String(received));

    /// <summary>The encoding host.json's <c>extensions.queues.messageEncoding</c> gives every queue trigger of the app.</summary>
    public static QueueMessageEncoding HostJsonQueueEncoding()
    {
        var hostJson = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json")))!;
        return (string?)hostJson["extensions"]?["queues"]?["messageEncoding"] is { } encoding
            ? Enum.Parse<QueueMessageEncoding>(encoding, ignoreCase: true)
            : QueueMessageEncoding.Base64; // the Storage Queues extension's default
    }
}
