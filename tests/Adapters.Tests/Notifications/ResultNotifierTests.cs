using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Adapters.Notifications;
using PrecisionMed.Core.Pipeline.Notifications;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Adapters.Tests.Notifications;

/// <summary>
/// GenomicResultAvailable on its two transports: the Service Bus message's shape (no emulator exists: the SDK's
/// model factory plays the receiving side) and the Storage Queue on Azurite.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class ResultNotifierTests(LocalStackFixture stack)
{
    private static readonly GenomicResultAvailable Notification = new(
        GenomicResultAvailable.MessageIdFor("file-1", 0),
        "DiagnosticReport/6b1d2c3e-0000-8000-8000-000000000001",
        "Patient/p-42",
        "lab-a",
        "SL-16-CG-0002",
        "corrected",
        "kv-2026-11-01",
        "file-1",
        0,
        "corr-1",
        new DateTimeOffset(2026, 11, 28, 4, 0, 0, TimeSpan.Zero),
        ["Observation/6b1d2c3e-0000-8000-8000-000000000002"]);

    [Fact]
    public void ServiceBusMessage_CarriesDeterministicIdCorrelationAndFilterableProperties()
    {
        var message = ServiceBusResultNotifier.ToMessage(Notification);

        var received = ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: message.Body, messageId: message.MessageId, correlationId: message.CorrelationId, subject: message.Subject,
            contentType: message.ContentType, properties: message.ApplicationProperties);

        Assert.Equal(Notification.MessageId, received.MessageId);
        Assert.Equal("corr-1", received.CorrelationId);
        Assert.Equal("GenomicResultAvailable", received.Subject);
        Assert.Equal("application/json", received.ContentType);
        Assert.Equal("lab-a", received.ApplicationProperties["labId"]);
        Assert.Equal("corrected", received.ApplicationProperties["status"]);
        Assert.Equal(Notification.ReportReference, received.ApplicationProperties["report"]);
        var body = GenomicResultAvailable.FromJson(received.Body.ToString())!;
        Assert.Equal(Notification with { Withdrawn = [] }, body with { Withdrawn = [] });
        Assert.Equal(Notification.Withdrawn, body.Withdrawn);
    }

    [Fact]
    public void ServiceBusMessage_Reinterpreted_SubjectImpactAndBodyWithoutOtherPhi()
    {
        var notice = new GenomicResultReinterpreted(
            GenomicResultReinterpreted.MessageIdFor("kd-0123456789ab", "Observation/1"), "Patient/p1", "DiagnosticReport/r1", "Observation/1", "amended",
            "Pathogenic", "Benign", Core.Knowledge.Diff.ClinicalImpact.Major, "kd-0123456789ab", "kv-000000000001", "kv-000000000002", "corr-9",
            new DateTimeOffset(2026, 12, 7, 1, 0, 0, TimeSpan.Zero));

        var message = ServiceBusResultNotifier.ToMessage(notice);

        Assert.Equal((notice.MessageId, "GenomicResultReinterpreted", "corr-9"), (message.MessageId, message.Subject, message.CorrelationId));
        Assert.Equal("Major", message.ApplicationProperties["impact"]);
        Assert.Equal("amended", message.ApplicationProperties["status"]);
        Assert.Equal(notice, GenomicResultReinterpreted.FromJson(message.Body.ToString()));
        Assert.Equal(notice.MessageId, GenomicResultReinterpreted.MessageIdFor("kd-0123456789ab", "Observation/1"));
    }

    [Fact]
    public async Task ServiceBusNotifier_SendsOneMessageToTheSender()
    {
        var sender = new CapturingSender();

        await new ServiceBusResultNotifier(sender).PublishAsync(Notification, TestContext.Current.CancellationToken);

        var sent = Assert.Single(sender.Sent);
        Assert.Equal(Notification.MessageId, sent.MessageId);
    }

    [Fact]
    public async Task Configuration_WithServiceBusNamespace_ChoosesTheTopic()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Notifications:ServiceBusNamespace"] = "pmed-test.servicebus.windows.net",
            ["Notifications:ClientId"] = "00000000-0000-0000-0000-000000000001",
        }).Build();

        await using var services = new ServiceCollection().AddResultNotifier(configuration).BuildServiceProvider();

        Assert.IsType<ServiceBusResultNotifier>(services.GetRequiredService<IResultNotifier>());
    }

    [Fact]
    public async Task StorageQueueNotifier_OnAzurite_DeliversTheSameJson()
    {
        var ct = TestContext.Current.CancellationToken;
        var queueName = $"genomic-results-{Guid.NewGuid():N}"[..40];
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LabStorage"] = stack.Stack.AzuriteConnectionString,
            ["LabStorage:CreateIfMissing"] = "true",
            ["Notifications:QueueName"] = queueName,
        }).Build();
        await using var services = new ServiceCollection().AddLabStorage(configuration).AddResultNotifier(configuration).BuildServiceProvider();
        var notifier = services.GetRequiredService<IResultNotifier>();
        Assert.IsType<StorageQueueResultNotifier>(notifier);

        await notifier.PublishAsync(Notification, ct);

        var queue = stack.Stack.CreateQueueServiceClient().GetQueueClient(queueName);
        var message = Assert.Single((await queue.ReceiveMessagesAsync(maxMessages: 10, cancellationToken: ct)).Value);
        var body = GenomicResultAvailable.FromJson(message.Body.ToString())!;
        Assert.Equal(Notification.MessageId, body.MessageId);
        Assert.Equal(Notification.Withdrawn, body.Withdrawn);
    }

    /// <summary>The SDK's sender with its send captured: ServiceBusSender is built to be subclassed in tests.</summary>
    private sealed class CapturingSender : ServiceBusSender
    {
        public List<ServiceBusMessage> Sent { get; } = [];

        public override Task SendMessageAsync(ServiceBusMessage message, CancellationToken cancellationToken = default)
        {
            Sent.Add(message);
            return Task.CompletedTask;
        }
    }
}
