using Azure.Storage.Queues;
using PrecisionMed.Core.Pipeline.Reinterpretation;

namespace PrecisionMed.Adapters.Storage;

/// <summary>The <c>reinterpretations</c> Storage Queue: plain JSON text, as the <c>lab-reports</c> queue (host.json <c>messageEncoding: none</c>).</summary>
internal sealed class StorageQueueReinterpretationQueue(QueueClient queue, LabStorageOptions options) : IReinterpretationQueue
{
    private readonly CreateOnce _creation = new(() => queue.CreateIfNotExistsAsync());

    public async Task EnqueueAsync(ReinterpretationWorkItem item, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        if (options.CreateIfMissing) await _creation.WaitAsync(cancellationToken);
        await queue.SendMessageAsync(item.ToJson(), visibilityTimeout: delay > TimeSpan.Zero ? delay : null, cancellationToken: cancellationToken);
    }
}
