using Azure.Storage.Queues;
using PrecisionMed.Core.Pipeline;

namespace PrecisionMed.Adapters.Storage;

/// <summary>
/// The <c>lab-reports</c> Storage Queue. Messages are plain JSON text (host.json sets the queue
/// extension's <c>messageEncoding</c> to <c>none</c> to match).
/// </summary>
internal sealed class StorageQueueWorkItemQueue(QueueClient queue, LabStorageOptions options) : IWorkItemQueue
{
    private int _created;

    public async Task EnqueueAsync(WorkItem item, CancellationToken cancellationToken)
    {
        if (options.CreateIfMissing && Interlocked.Exchange(ref _created, 1) == 0)
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await queue.SendMessageAsync(item.ToJson(), cancellationToken);
    }
}
