using Azure.Storage.Queues;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Adapters.Storage;

/// <summary>
/// The <c>lab-reports</c> Storage Queue. Messages are plain JSON text (host.json sets the queue
/// extension's <c>messageEncoding</c> to <c>none</c> to match).
/// </summary>
internal sealed class StorageQueueWorkItemQueue(QueueClient queue, LabStorageOptions options) : IWorkItemQueue
{
    private readonly CreateOnce _creation = new(() => queue.CreateIfNotExistsAsync());

    public Task EnqueueAsync(WorkItem item, CancellationToken cancellationToken) => EnqueueAsync(item, TimeSpan.Zero, cancellationToken);

    public async Task EnqueueAsync(WorkItem item, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(delay, PipelineOptions.MaxQueueDelay);
        // Arrivals run in parallel: every one of them waits for the queue, not only the first.
        if (options.CreateIfMissing) await _creation.WaitAsync(cancellationToken);
        // The service keeps the message hidden for the delay; the trigger sees it only then.
        await queue.SendMessageAsync(item.ToJson(), visibilityTimeout: delay > TimeSpan.Zero ? delay : null, cancellationToken: cancellationToken);
    }
}
