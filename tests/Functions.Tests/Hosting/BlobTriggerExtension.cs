using System.Reflection;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Azure.WebJobs.Host.Executors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;

namespace PrecisionMed.Functions.Tests.Hosting;

/// <summary>
/// The Functions host's blob extension (the Microsoft.Azure.WebJobs.Extensions.Storage.Blobs package the worker's
/// Storage.Blobs extension loads into the host), run through its own code so a test's blob-trigger poison message is
/// the one the host writes on Azure: the message built from an Event Grid BlobCreated event, serialised and queued by
/// the extension's writer on the host's blob-trigger queue, then failed by its queue processor until that moves it to
/// the poison queue of the account the trigger's connection names. Its types are internal, hence reflection; a new
/// extension version that renames one fails these tests loudly, which is the point.
/// </summary>
internal static class BlobTriggerExtension
{
    private const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    private static readonly Assembly Extension = typeof(Microsoft.Azure.WebJobs.BlobTriggerSource).Assembly;

    /// <summary>The queue the extension moves a poisoned blob-trigger message to.</summary>
    public static string PoisonQueueName { get; } = (string)Type("Microsoft.Azure.WebJobs.Extensions.Storage.Common.HostQueueNames")
        .GetField("BlobTriggerPoisonQueue", Any)!.GetValue(null)!;

    /// <summary>
    /// The encoding of every queue client the blob extension makes: its QueueServiceClientProvider takes it from its own
    /// QueuesOptions, which the extension's registration never binds to host.json, so it is that type's default.
    /// </summary>
    public static QueueMessageEncoding MessageEncoding { get; } =
        (QueueMessageEncoding)Type("Microsoft.Azure.WebJobs.Host.QueuesOptions").GetProperty("MessageEncoding")!.GetValue(New("Microsoft.Azure.WebJobs.Host.QueuesOptions"))!;

    /// <summary>How many failed attempts the extension allows before it poisons (BlobsOptions' default poison threshold).</summary>
    public static int PoisonThreshold { get; } = new Microsoft.Azure.WebJobs.Host.BlobsOptions().PoisonBlobThreshold;

    /// <summary>
    /// An Event Grid <c>Microsoft.Storage.BlobCreated</c> event for <paramref name="blob"/> as the webhook
    /// <c>/runtime/webhooks/blobs?functionName=...</c> receives it, turned into the extension's BlobTriggerMessage.
    /// </summary>
    public static object TriggerMessageFromEventGrid(BlobClient blob, string eTag, string functionId)
    {
        var gridEvent = JObject.FromObject(new
        {
            topic = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/labdata",
            subject = $"/blobServices/default/containers/{blob.BlobContainerName}/blobs/{blob.Name}",
            eventType = "Microsoft.Storage.BlobCreated",
            id = "6d79dbfb-0e37-4fc4-981f-442c9ca54e65",
            data = new
            {
                api = "PutBlob",
                eTag = eTag.Trim('"'),
                contentType = "application/octet-stream",
                blobType = "BlockBlob",
                url = blob.Uri.ToString(),
            },
            dataVersion = "",
            metadataVersion = "1",
            eventTime = "2026-12-05T09:00:00Z",
        });
        return Type("Microsoft.Azure.WebJobs.Extensions.Storage.Blobs.Config.BlobsExtensionConfigProvider")
            .GetMethod("GetBlobTriggerMessage", Any)!.Invoke(null, [gridEvent, functionId])!;
    }

    /// <summary>Queues the message on the host's blob-trigger queue with the extension's own writer.</summary>
    public static async Task EnqueueAsync(QueueClient hostBlobTriggerQueue, object triggerMessage, CancellationToken cancellationToken)
    {
        var writer = New("Microsoft.Azure.WebJobs.Extensions.Storage.Blobs.Listeners.BlobTriggerQueueWriter",
            hostBlobTriggerQueue, New("Microsoft.Azure.WebJobs.Extensions.Storage.Common.Listeners.SharedQueueWatcher"));
        await (Task)writer.GetType().GetMethod("EnqueueAsync")!.Invoke(writer, [triggerMessage, cancellationToken])!;
    }

    /// <summary>
    /// Every delivery of the host queue's messages fails, through the extension's shared blob-queue processor, until it
    /// moves them to the poison queue. <paramref name="hostPoisonQueue"/> is the processor's fallback (the host's own
    /// account); the registration of <paramref name="functionId"/> carries the clients of the trigger's connection.
    /// Returns the deliveries made.
    /// </summary>
    public static async Task<int> FailEveryDeliveryAsync(
        QueueClient hostBlobTriggerQueue, QueueClient hostPoisonQueue, string functionId, BlobServiceClient triggerBlobs, QueueServiceClient triggerQueues,
        CancellationToken cancellationToken)
    {
        var listenerType = Type("Microsoft.Azure.WebJobs.Extensions.Storage.Blobs.Listeners.BlobListener");
        var logger = typeof(NullLogger<>).MakeGenericType(listenerType).GetField("Instance")!.GetValue(null)!;
        var executor = New("Microsoft.Azure.WebJobs.Extensions.Storage.Blobs.Listeners.BlobQueueTriggerExecutor",
            Microsoft.Azure.WebJobs.BlobTriggerSource.EventGrid, null, logger);
        var registration = New("Microsoft.Azure.WebJobs.Extensions.Storage.Blobs.Listeners.BlobQueueRegistration");
        registration.GetType().GetProperty("BlobServiceClient")!.SetValue(registration, triggerBlobs);
        registration.GetType().GetProperty("QueueServiceClient")!.SetValue(registration, triggerQueues);
        executor.GetType().GetMethod("Register")!.Invoke(executor, [functionId, registration]);

        var factory = Type("Microsoft.Azure.WebJobs.Extensions.Storage.Blobs.Listeners.SharedBlobQueueListenerFactory");
        var queuesOptions = factory.GetMethod("BlobsOptionsToQueuesOptions", Any)!.Invoke(null, [new Microsoft.Azure.WebJobs.Host.BlobsOptions()])!;
        var processor = New(factory.FullName + "+SharedBlobQueueProcessor",
            executor, hostBlobTriggerQueue, hostPoisonQueue, (ILoggerFactory)NullLoggerFactory.Instance, queuesOptions);
        var begin = processor.GetType().GetMethod("BeginProcessingMessageAsync", Any)!;
        var complete = processor.GetType().GetMethod("CompleteProcessingMessageAsync", Any)!;

        var deliveries = 0;
        while (true)
        {
            QueueMessage[] messages = (await hostBlobTriggerQueue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30), cancellationToken)).Value;
            if (messages.Length == 0) return deliveries;
            foreach (var message in messages)
            {
                deliveries++;
                if (!await (Task<bool>)begin.Invoke(processor, [message, cancellationToken])!) continue;
                // The function threw: what the host's executor reports for a failed invocation.
                await (Task)complete.Invoke(processor, [message, new FunctionResult(false), cancellationToken])!;
            }
        }
    }

    private static Type Type(string name) => Extension.GetType(name, throwOnError: true)!;

    private static object New(string typeName, params object?[] arguments) =>
        Activator.CreateInstance(Type(typeName), Any, binder: null, arguments, culture: null)!;
}
