using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Work;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Adapters.Tests.Storage;

/// <summary>The work queue on Azurite: a delayed work item stays hidden for its delay, then arrives as queued.</summary>
[Trait("Tier", "Stack")]
public sealed class StorageQueueWorkItemQueueTests(LocalStackFixture stack)
{
    [Fact]
    public async Task EnqueueAsync_WithDelay_HiddenUntilTheDelayHasPassedThenTheSameItem()
    {
        var ct = TestContext.Current.CancellationToken;
        var queueName = $"lab-reports-{Guid.NewGuid():N}"[..40];
        var queue = Queue(queueName);
        var item = new WorkItem("f-1", "lab-a", "abc", LabFileFormat.Hl7v2, 0, 1, "corr", DateTimeOffset.UnixEpoch, Attempt: 2, FailingSince: DateTimeOffset.UnixEpoch);
        var client = new QueueClient(stack.Stack.AzuriteConnectionString, queueName);

        await queue.EnqueueAsync(item, TimeSpan.FromSeconds(2), ct);

        Assert.Null((await client.ReceiveMessageAsync(cancellationToken: ct)).Value);
        Assert.Equal(1, (await client.GetPropertiesAsync(ct)).Value.ApproximateMessagesCount);
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        var message = (await client.ReceiveMessageAsync(cancellationToken: ct)).Value;
        Assert.NotNull(message);
        Assert.Equal(item, WorkItem.TryParse(message.MessageText));
        await client.DeleteAsync(ct);
    }

    [Fact]
    public async Task EnqueueAsync_DelayPastTheQueuesLongest_Refused()
    {
        var queue = Queue($"lab-reports-{Guid.NewGuid():N}"[..40]);
        var item = new WorkItem("f-1", "lab-a", "abc", LabFileFormat.Hl7v2, 0, 1, "corr", DateTimeOffset.UnixEpoch);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.EnqueueAsync(item, TimeSpan.FromDays(8), TestContext.Current.CancellationToken));
    }

    private IWorkItemQueue Queue(string name)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LabStorage"] = stack.Stack.AzuriteConnectionString,
            ["LabStorage:CreateIfMissing"] = "true",
            ["LabStorage:WorkQueueName"] = name,
        }).Build();
        return new ServiceCollection().AddLabStorage(configuration).BuildServiceProvider().GetRequiredService<IWorkItemQueue>();
    }
}
