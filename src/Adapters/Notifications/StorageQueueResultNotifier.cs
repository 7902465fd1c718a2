using Azure.Storage.Queues;
using PrecisionMed.Adapters.Storage;
using PrecisionMed.Core.Pipeline.Notifications;

namespace PrecisionMed.Adapters.Notifications;

/// <summary>
/// The local stand-in for the Service Bus topic (there is no Service Bus emulator): the same JSON body on the
/// Storage Queue <c>genomic-results</c>. A queue has no duplicate detection; consumers dedupe on <c>messageId</c>.
/// </summary>
internal sealed class StorageQueueResultNotifier(QueueClient queue, bool createIfMissing) : IResultNotifier
{
    private readonly CreateOnce _creation = new(() => queue.CreateIfNotExistsAsync());

    public async Task PublishAsync(GenomicResultAvailable notification, CancellationToken cancellationToken)
    {
        if (createIfMissing) await _creation.WaitAsync(cancellationToken);
        await queue.SendMessageAsync(notification.ToJson(), cancellationToken);
    }

    public async Task PublishAsync(GenomicResultReinterpreted notification, CancellationToken cancellationToken)
    {
        if (createIfMissing) await _creation.WaitAsync(cancellationToken);
        await queue.SendMessageAsync(notification.ToJson(), cancellationToken);
    }
}
