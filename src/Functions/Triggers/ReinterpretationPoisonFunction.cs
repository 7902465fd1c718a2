using Microsoft.Azure.Functions.Worker;
using PrecisionMed.Core.Pipeline.Reinterpretation;

namespace PrecisionMed.Functions.Triggers;

/// <summary>A reinterpretation the queue gave up on: logged for the alert; a later run re-queues it.</summary>
public sealed class ReinterpretationPoisonFunction(ReinterpretationPoisonHandler handler)
{
    [Function(nameof(ReinterpretationPoisonFunction))]
    public Task RunAsync(
        [QueueTrigger(Bindings.ReinterpretationPoisonQueue, Connection = Bindings.LabStorage)] string message,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(message, cancellationToken);
}
