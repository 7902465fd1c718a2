using Azure.Storage.Queues;
using PrecisionMed.Core.Pipeline;

namespace PrecisionMed.Adapters.Storage;

/// <summary>
/// The <c>lab-reports</c> Storage Queue. Messages are plain JSON text (host.json sets the queue
/// extension's <c>messageEncoding</c> to <c>none</c> to match).
/// </summary>
internal sealed class StorageQueueWorkItemQueue(QueueClient queue, LabStorageOptions options) : IWorkItemQueue
{
    private readonly CreateOnce _creation = new(() => queue.CreateIfNotExistsAsync());

    public async Task EnqueueAsync(WorkItem item, CancellationToken cancellationToken)
    {
        // Arrivals run in parallel: every one of them waits for the queue, not only the first.
        if (options.CreateIfMissing) await _creation.WaitAsync(cancellationToken);
        await queue.SendMessageAsync(item.ToJson(), cancellationToken);
    }
}
