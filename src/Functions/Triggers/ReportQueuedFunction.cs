using Microsoft.Azure.Functions.Worker;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Functions.Triggers;

/// <summary>
/// One report unit to turn into FHIR. An exception here (FHIR service unavailable after retries)
/// makes the queue redeliver; after host.json's maxDequeueCount it goes to the poison queue.
/// </summary>
public sealed class ReportQueuedFunction(ReportWorkHandler handler)
{
    [Function(nameof(ReportQueuedFunction))]
    public Task RunAsync(
        [QueueTrigger(Bindings.WorkQueue, Connection = Bindings.LabStorage)] string message,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(message, cancellationToken);
}
