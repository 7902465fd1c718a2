using Azure.Storage.Queues;
using PrecisionMed.Core.Pipeline.Reinterpretation;

namespace PrecisionMed.Cli.Tests.Knowledge;

/// <summary>
/// A test's own messages on the stack's shared <c>reinterpretations</c> queue (and its poison queue), which other tests of
/// the project use at the same time: another test's messages are made visible again at once, and a message that test hid
/// for a moment is waited for.
/// </summary>
internal static class ReinterpretationQueues
{
    public const string Work = "reinterpretations";
    public const string Poison = "reinterpretations-poison";

    /// <summary>The messages of <paramref name="report"/> (deleted from the queue), waiting up to 15 s for <paramref name="expected"/> of them.</summary>
    public static async Task<List<string>> ReceiveAsync(string connection, string report, int expected, CancellationToken ct, string queueName = Work)
    {
        var queue = new QueueClient(connection, queueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        var mine = new List<string>();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (mine.Count < expected && DateTime.UtcNow < until)
        {
            var received = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1), ct)).Value;
            foreach (var message in received)
            {
                if (ReinterpretationWorkItem.TryParse(message.MessageText)?.Report != report)
                {
                    await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: ct);
                    continue;
                }

                mine.Add(message.MessageText);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
            }

            if (mine.Count < expected) await Task.Delay(100, ct);
        }

        return mine;
    }
}
