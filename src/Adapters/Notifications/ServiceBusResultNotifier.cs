using Azure.Messaging.ServiceBus;
using PrecisionMed.Core.Pipeline.Notifications;

namespace PrecisionMed.Adapters.Notifications;

/// <summary>
/// Publishes to the <c>genomic-results</c> topic. The message id is the notification's deterministic id, so the
/// topic's duplicate detection drops a repeat from a redelivered work item; subscribers filter on the
/// application properties (lab, status) without reading the body.
/// </summary>
internal sealed class ServiceBusResultNotifier(ServiceBusSender sender) : IResultNotifier
{
    public Task PublishAsync(GenomicResultAvailable notification, CancellationToken cancellationToken) =>
        sender.SendMessageAsync(ToMessage(notification), cancellationToken);

    public Task PublishAsync(GenomicResultReinterpreted notification, CancellationToken cancellationToken) =>
        sender.SendMessageAsync(ToMessage(notification), cancellationToken);

    internal static ServiceBusMessage ToMessage(GenomicResultReinterpreted notification)
    {
        var message = new ServiceBusMessage(BinaryData.FromString(notification.ToJson()))
        {
            MessageId = notification.MessageId,
            CorrelationId = notification.CorrelationId,
            Subject = GenomicResultReinterpreted.EventType,
            ContentType = "application/json",
        };
        message.ApplicationProperties["status"] = notification.Status;
        message.ApplicationProperties["impact"] = notification.Impact.ToString();
        message.ApplicationProperties["report"] = notification.ReportReference;
        return message;
    }

    internal static ServiceBusMessage ToMessage(GenomicResultAvailable notification)
    {
        var message = new ServiceBusMessage(BinaryData.FromString(notification.ToJson()))
        {
            MessageId = notification.MessageId,
            CorrelationId = notification.CorrelationId,
            Subject = GenomicResultAvailable.EventType,
            ContentType = "application/json",
        };
        message.ApplicationProperties["labId"] = notification.LabId;
        if (notification.Status is { } status) message.ApplicationProperties["status"] = status;
        if (notification.ReportReference is { } report) message.ApplicationProperties["report"] = report;
        return message;
    }
}
