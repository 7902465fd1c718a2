using System.Buffers;
using System.Text.Json.Nodes;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Notifications;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Bench.Worker;

/// <summary>
/// A FHIR service that takes every transaction and knows no earlier report or EMR Patient: each bundle is serialised as
/// the HTTP writer would put it on the wire, and nothing more, so the figure is the worker's cost and not a server's.
/// </summary>
internal sealed class BenchFhirWriter : IFhirWriter
{
    private static readonly FhirWriteResult Written = new(["Patient/emr-1/_history/1"]);
    private readonly ArrayBufferWriter<byte> _wire = new(64 * 1024);

    public long BytesWritten { get; private set; }

    public Task<FhirWriteResult> WriteTransactionAsync(ReadOnlyMemory<byte> bundle, CancellationToken cancellationToken)
    {
        // The HTTP writer posts the bytes as they are: copying them is what the wire costs here.
        _wire.ResetWrittenCount();
        _wire.Write(bundle.Span);
        BytesWritten += _wire.WrittenCount;
        return Task.FromResult(Written);
    }

    public Task<JsonObject?> ReadAsync(string reference, CancellationToken cancellationToken) => Task.FromResult<JsonObject?>(null);

    public Task<IReadOnlyList<JsonObject>> FindPatientsAsync(string system, string value, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<JsonObject>>([]);
}

/// <summary>Keeps the last work item queued: arrival's, which the worker benchmark then handles again and again.</summary>
internal sealed class BenchWorkItemQueue : IWorkItemQueue
{
    public WorkItem? Last { get; private set; }

    public Task EnqueueAsync(WorkItem item, CancellationToken cancellationToken) => EnqueueAsync(item, TimeSpan.Zero, cancellationToken);

    public Task EnqueueAsync(WorkItem item, TimeSpan delay, CancellationToken cancellationToken)
    {
        Last = item;
        return Task.CompletedTask;
    }
}

/// <summary>Counts the notifications, as a publisher that hands them on would send each once.</summary>
internal sealed class BenchResultNotifier : IResultNotifier
{
    public int Published { get; private set; }

    public Task PublishAsync(GenomicResultAvailable notification, CancellationToken cancellationToken)
    {
        Published++;
        return Task.CompletedTask;
    }

    public Task PublishAsync(GenomicResultReinterpreted notification, CancellationToken cancellationToken)
    {
        Published++;
        return Task.CompletedTask;
    }
}
