using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PrecisionMed.Adapters.Settings;
using PrecisionMed.Adapters.Notifications;
using PrecisionMed.Adapters.Storage;
using PrecisionMed.Core.Pipeline.Notifications;

namespace PrecisionMed.Adapters;

public static partial class AdaptersServiceCollectionExtensions
{
    /// <summary>
    /// GenomicResultAvailable to the Service Bus topic when <c>Notifications__ServiceBusNamespace</c> is set,
    /// otherwise to the Storage Queue of the same name on the lab storage account (needs <see cref="AddLabStorage"/>).
    /// </summary>
    public static IServiceCollection AddResultNotifier(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<NotificationOptions>(configuration, NotificationOptions.SectionName);
        // Which notifier is registered depends on this one setting, so it is read before the options are bound.
        if (!string.IsNullOrWhiteSpace(configuration[$"{NotificationOptions.SectionName}:{nameof(NotificationOptions.ServiceBusNamespace)}"]))
        {
            services.AddSingleton(sp =>
            {
                var notifications = Settings<NotificationOptions>(sp);
                return new ServiceBusClient(notifications.ServiceBusNamespace, AzureCredentials.For(notifications.ClientId));
            });
            services.TryAddSingleton<IResultNotifier>(sp =>
                new ServiceBusResultNotifier(sp.GetRequiredService<ServiceBusClient>().CreateSender(Settings<NotificationOptions>(sp).Topic)));
            return services;
        }

        services.TryAddSingleton<IResultNotifier>(sp =>
        {
            var storage = sp.GetRequiredService<LabStorageOptions>();
            return new StorageQueueResultNotifier(LabQueueClient(storage, Settings<NotificationOptions>(sp).QueueName), storage.CreateIfMissing);
        });
        return services;
    }
}
