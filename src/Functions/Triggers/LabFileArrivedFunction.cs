using Microsoft.Azure.Functions.Worker;
using PrecisionMed.Core.Pipeline.Arrival;

namespace PrecisionMed.Functions.Triggers;

/// <summary>A lab dropped a file into <c>incoming/{labId}/...</c>: record it and queue its report units.</summary>
public sealed class LabFileArrivedFunction(LabFileArrivalHandler handler)
{
    [Function(nameof(LabFileArrivedFunction))]
    public Task RunAsync(
        [BlobTrigger(Bindings.IncomingPath, Source = BlobTriggerSource.EventGrid, Connection = Bindings.LabStorage)] Stream blob,
        string labId,
        string name,
        FunctionContext context,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(labId, name, context.InvocationId, blob, cancellationToken);
}
