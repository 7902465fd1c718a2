using Microsoft.Azure.Functions.Worker;
using PrecisionMed.Core.Pipeline.Reinterpretation;

namespace PrecisionMed.Functions.Triggers;

/// <summary>
/// One affected report to reinterpret for a knowledge diff. An exception (FHIR unavailable after retries, or an
/// implication changed since it was read) makes the queue redeliver; after host.json's maxDequeueCount it goes to the poison queue.
/// </summary>
public sealed class ReinterpretationQueuedFunction(ReinterpretationWorkHandler handler)
{
    [Function(nameof(ReinterpretationQueuedFunction))]
    public Task RunAsync(
        [QueueTrigger(Bindings.ReinterpretationQueue, Connection = Bindings.LabStorage)] string message,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(message, cancellationToken);
}
