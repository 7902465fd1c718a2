using Microsoft.Azure.Functions.Worker;
using PrecisionMed.Core.Pipeline.Arrival;

namespace PrecisionMed.Functions.Triggers;

/// <summary>
/// A lab file whose arrival the host gave up on (the blob trigger's poison queue, in the lab data account like the
/// blob itself): recorded as Failed in the ledger, kept in incoming/ for replay, and counted by the poison alert.
/// The blob extension writes that queue Base64-encoded while host.json reads queues unencoded; the handler reads both.
/// </summary>
public sealed class ArrivalPoisonFunction(ArrivalPoisonHandler handler)
{
    [Function(nameof(ArrivalPoisonFunction))]
    public Task RunAsync(
        [QueueTrigger(Bindings.BlobTriggerPoisonQueue, Connection = Bindings.LabStorage)] string message,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(message, cancellationToken);
}
