namespace PrecisionMed.Adapters.Notifications;

/// <summary>
/// Where GenomicResultAvailable goes (section <c>Notifications</c>): the Service Bus topic when
/// <c>Notifications__ServiceBusNamespace</c> is set (Azure, managed identity), otherwise the Storage
/// Queue <see cref="QueueName"/> on the lab storage account (local stack, tests).
/// </summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>The namespace's host name, e.g. <c>pmed-sb.servicebus.windows.net</c>.</summary>
    public string? ServiceBusNamespace { get; set; }

    public string Topic { get; set; } = "genomic-results";

    public string QueueName { get; set; } = "genomic-results";

    /// <summary>The user-assigned managed identity's client id for Service Bus (Azure Service Bus Data Sender on the topic).</summary>
    public string? ClientId { get; set; }
}
