using Microsoft.Azure.Functions.Worker;
using PrecisionMed.Core.Pipeline;

namespace PrecisionMed.Functions.Triggers;

/// <summary>
/// A lab file whose arrival the host gave up on (the blob trigger's poison queue in the host's storage): recorded as
/// Failed in the ledger, kept in incoming/ for replay, and counted by the poison alert.
/// </summary>
public sealed class ArrivalPoisonFunction(ArrivalPoisonHandler handler)
{
    [Function(nameof(ArrivalPoisonFunction))]
    public Task RunAsync(
        [QueueTrigger(Bindings.BlobTriggerPoisonQueue, Connection = Bindings.HostStorage)] string message,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(message, cancellationToken);
}
