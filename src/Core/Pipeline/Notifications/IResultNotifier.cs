namespace PrecisionMed.Core.Pipeline.Notifications;

/// <summary>
/// Publishes <see cref="GenomicResultAvailable"/>: to the Service Bus topic <c>genomic-results</c> in Azure,
/// to the Storage Queue of the same name locally (there is no Service Bus emulator). Throws when the
/// message could not be published, so the work item is retried rather than the notification lost.
/// </summary>
public interface IResultNotifier
{
    Task PublishAsync(GenomicResultAvailable notification, CancellationToken cancellationToken);

    /// <summary>A reinterpretation of a report already sent, to the same topic (subject <see cref="GenomicResultReinterpreted.EventType"/>).</summary>
    Task PublishAsync(GenomicResultReinterpreted notification, CancellationToken cancellationToken);
}
