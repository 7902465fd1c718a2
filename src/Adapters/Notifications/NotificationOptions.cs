using System.ComponentModel.DataAnnotations;
using PrecisionMed.Adapters.Settings;

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
    [RegularExpression(@"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$",
        ErrorMessage = "{0} must be the namespace's host name, e.g. pmed-sb.servicebus.windows.net (no scheme, no path)")]
    public string? ServiceBusNamespace { get; set; }

    [Required]
    public string Topic { get; set; } = "genomic-results";

    [QueueName]
    public string QueueName { get; set; } = "genomic-results";

    /// <summary>The user-assigned managed identity's client id for Service Bus (Azure Service Bus Data Sender on the topic).</summary>
    public string? ClientId { get; set; }
}
