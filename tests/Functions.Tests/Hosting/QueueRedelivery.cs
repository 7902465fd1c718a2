using Azure.Storage.Queues.Models;
using PrecisionMed.Functions.Triggers;

namespace PrecisionMed.Functions.Tests.Hosting;

/// <summary>What a drain with redelivery saw.</summary>
/// <param name="Deliveries">Messages handed to ReportQueuedFunction, redeliveries included.</param>
/// <param name="Failures">Deliveries that threw, so the message came back (or went to poison).</param>
/// <param name="Poisoned">Messages given up on after <c>maxDequeueCount</c> deliveries, handed to PoisonReportFunction.</param>
internal sealed record RedeliveryReport(int Deliveries, int Failures, int Poisoned, IReadOnlyDictionary<string, int> FailuresByType);

/// <summary>
/// Drains the work queue the way the Functions host does when deliveries fail: up to <c>batchSize</c> messages
/// in flight at once; a delivery that throws leaves its message in the queue, invisible for the redelivery
/// delay (host.json's visibilityTimeout), then delivered again; after <c>maxDequeueCount</c> deliveries it
/// goes to the poison function. A delivery that returns deletes its message, as the host does; a message the
/// function queued with a visibility delay (a unit put back to wait) is received only once Azurite shows it again.
/// Ends when the queue holds no message, visible or hidden (Azurite's count includes hidden ones), and nothing is in flight.
/// </summary>
internal static class QueueRedelivery
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    public static async Task<RedeliveryReport> DrainWithRedeliveryAsync(
        this PipelineHost host, int batchSize, TimeSpan redeliveryDelay, int maxDequeueCount, CancellationToken cancellationToken)
    {
        var function = host.Function<ReportQueuedFunction>();
        var poison = host.Function<PoisonReportFunction>();
        var inFlight = new List<Task>();
        var failuresByType = new Dictionary<string, int>();
        int deliveries = 0, failures = 0, poisoned = 0;
        await host.WorkQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);

        async Task DeliverAsync(QueueMessage message)
        {
            Interlocked.Increment(ref deliveries);
            try
            {
                await function.RunAsync(message.MessageText, cancellationToken);
                await host.WorkQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref failures);
                lock (failuresByType) failuresByType[ex.GetType().Name] = failuresByType.GetValueOrDefault(ex.GetType().Name) + 1;
                if (message.DequeueCount >= maxDequeueCount)
                {
                    Interlocked.Increment(ref poisoned);
                    await poison.RunAsync(message.MessageText, cancellationToken);
                    await host.WorkQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                }
                else
                {
                    await host.WorkQueue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: redeliveryDelay, cancellationToken: cancellationToken);
                }
            }
        }

        while (true)
        {
            if (inFlight.FirstOrDefault(task => task.IsFaulted) is { } broken) await broken; // the harness itself failed: say so
            inFlight.RemoveAll(task => task.IsCompleted);
            var room = Math.Min(32, batchSize - inFlight.Count); // 32: the most one receive may ask for
            var received = room > 0
                ? (await host.WorkQueue.ReceiveMessagesAsync(room, TimeSpan.FromMinutes(2), cancellationToken)).Value
                : [];
            inFlight.AddRange(received.Select(DeliverAsync));
            if (received.Length > 0) continue;

            if (inFlight.Count == 0 && (await host.WorkQueue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount == 0)
                return new RedeliveryReport(deliveries, failures, poisoned, failuresByType);
            await Task.WhenAny([Task.Delay(Poll, cancellationToken), .. inFlight]);
        }
    }
}
