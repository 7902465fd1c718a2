using Microsoft.Azure.Functions.Worker;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Functions.Triggers;

/// <summary>A report unit the queue gave up on: recorded as Failed with an error report, kept for replay.</summary>
public sealed class PoisonReportFunction(PoisonWorkHandler handler)
{
    [Function(nameof(PoisonReportFunction))]
    public Task RunAsync(
        [QueueTrigger(Bindings.PoisonQueue, Connection = Bindings.LabStorage)] string message,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(message, cancellationToken);
}
