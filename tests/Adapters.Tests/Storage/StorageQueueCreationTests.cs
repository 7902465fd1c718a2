using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Work;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Adapters.Tests.Storage;

/// <summary>
/// The work queue on Azurite as arrivals use it: several at once, on a local stack where the queue does not exist
/// until the first of them creates it (<c>LabStorage:CreateIfMissing</c>). None may send ahead of that creation: one
/// that did got <c>QueueNotFound</c> out of the arrival function.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class StorageQueueCreationTests(LocalStackFixture stack)
{
    private const int Arrivals = 16;

    [Fact]
    public async Task Enqueue_ManyAtOnceOnAQueueNotCreatedYet_EveryItemArrives()
    {
        var ct = TestContext.Current.CancellationToken;
        var queueName = $"lab-reports-{Guid.NewGuid():N}"[..36];
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LabStorage"] = stack.Stack.AzuriteConnectionString,
            ["LabStorage:WorkQueueName"] = queueName,
            ["LabStorage:CreateIfMissing"] = "true",
        }).Build();
        // The queue client the app builds, but with its creation as slow as it can be on a busy machine.
        var slowToCreate = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
        slowToCreate.AddPolicy(new SlowQueueCreation(TimeSpan.FromMilliseconds(500)), HttpPipelinePosition.PerCall);
        await using var services = new ServiceCollection()
            .AddLabStorage(configuration)
            .AddSingleton(new QueueClient(stack.Stack.AzuriteConnectionString, queueName, slowToCreate))
            .BuildServiceProvider();
        var queue = services.GetRequiredService<IWorkItemQueue>();

        // All start together, as the blob triggers of a batch of files do: the first one's creation is under way
        // when the others want to send.
        using var start = new SemaphoreSlim(0, Arrivals);
        var arrivals = Enumerable.Range(0, Arrivals).Select(i => Task.Run(async () =>
        {
            await start.WaitAsync(ct);
            await queue.EnqueueAsync(Item(i), ct);
        }, ct)).ToArray();
        start.Release(Arrivals);
        await Task.WhenAll(arrivals);

        var received = await stack.Stack.CreateQueueServiceClient().GetQueueClient(queueName).ReceiveMessagesAsync(32, cancellationToken: ct);
        Assert.Equal(
            Enumerable.Range(0, Arrivals),
            received.Value.Select(m => WorkItem.TryParse(m.Body.ToString())!.UnitIndex).Order());
    }

    private static WorkItem Item(int unit) => new(
        "file-" + unit.ToString(CultureInfo.InvariantCulture), "lab-queue", new string('a', 64), LabFileFormat.FhirJson, unit, Arrivals,
        "corr-" + unit.ToString(CultureInfo.InvariantCulture), DateTimeOffset.UnixEpoch);

    /// <summary>Holds back the queue's creation (<c>PUT /account/queue</c>); sends (<c>POST .../messages</c>) go at once.</summary>
    private sealed class SlowQueueCreation(TimeSpan delay) : HttpPipelinePolicy
    {
        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (message.Request.Method == RequestMethod.Put) await Task.Delay(delay, message.CancellationToken);
            await ProcessNextAsync(message, pipeline);
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The queue is used asynchronously only.");
    }
}
