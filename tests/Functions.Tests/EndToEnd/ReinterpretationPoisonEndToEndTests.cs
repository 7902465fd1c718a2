using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Reinterpretation;
using PrecisionMed.Functions.Tests.Hosting;
using PrecisionMed.Functions.Triggers;
using PrecisionMed.Testing.Stack;

namespace PrecisionMed.Functions.Tests.EndToEnd;

/// <summary>
/// ReinterpretationPoisonFunction on the local stack with the message as the Storage Queues extension leaves it on
/// <c>reinterpretations-poison</c> (the work item's text, read with host.json's message encoding): the item's ledger
/// record is Failed and poisoned (recorded, not only logged); a second copy changes nothing; an unreadable message
/// records nothing and does not throw.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class ReinterpretationPoisonEndToEndTests(LocalStackFixture stack)
{
    [Fact]
    public async Task PoisonMessage_AsTheExtensionWritesIt_RecordsTheItemFailed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(stack.Stack);
        var run = "reinterpret-" + Guid.NewGuid().ToString("N")[..12];
        var item = new ReinterpretationWorkItem("kd-0123456789ab", "Patient/p-" + run, "DiagnosticReport/r-" + run, run);
        var ledger = host.Services.GetRequiredService<IReinterpretationLedger>();
        await ledger.SaveAsync(ReinterpretationRecord.Pending(item, DateTimeOffset.UtcNow), ct);
        var encoding = ArrivalPoisoning.HostJsonQueueEncoding();
        var poison = new QueueClient(stack.Stack.AzuriteConnectionString, "reinterpretations-poison", new QueueClientOptions { MessageEncoding = encoding });
        await poison.CreateIfNotExistsAsync(cancellationToken: ct);
        await poison.SendMessageAsync(item.ToJson(), ct);
        var texts = new List<string>();
        foreach (var message in (await poison.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1), ct)).Value)
        {
            if (ReinterpretationWorkItem.TryParse(message.Body.ToString())?.CorrelationId != run)
            {
                await poison.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: ct);
                continue;
            }

            texts.Add(message.Body.ToString());
            await poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
        }

        var function = host.Function<ReinterpretationPoisonFunction>();
        await function.RunAsync(Assert.Single(texts), ct);
        await function.RunAsync(texts[0], ct);
        await function.RunAsync("not a work item", ct);

        var record = Assert.Single(await ledger.ListAsync(run, ct));
        Assert.Equal((UnitState.Failed, true, ReinterpretationPoisonHandler.PoisonedProblem), (record.State, record.Poisoned, record.Problem));
        Assert.Single(record.History, e => e.What == "Failed on every delivery the queue allows");
        Assert.Equal(new ReinterpretationProgress(1, 0, 0, 0, 1, 0), ReinterpretationProgress.Of(await ledger.ListAsync(run, ct)));
    }
}
