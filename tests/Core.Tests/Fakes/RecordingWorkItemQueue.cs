using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Core.Tests.Fakes;

/// <summary>Keeps every message as the queue would carry it (its JSON) and as the item it was.</summary>
internal sealed class RecordingWorkItemQueue : IWorkItemQueue
{
    private readonly List<WorkItem> _items = [];
    private readonly List<string> _messages = [];
    private readonly List<TimeSpan> _delays = [];

    public IReadOnlyList<WorkItem> Items => _items;

    public IReadOnlyList<string> Messages => _messages;

    /// <summary>Runs on each enqueue, e.g. a worker that picks the message up at once.</summary>
    public Func<WorkItem, CancellationToken, Task>? OnEnqueued { get; set; }

    /// <summary>The visibility delay each message was queued with, in the order of <see cref="Items"/>.</summary>
    public IReadOnlyList<TimeSpan> Delays => _delays;

    public Task EnqueueAsync(WorkItem item, CancellationToken cancellationToken) => EnqueueAsync(item, TimeSpan.Zero, cancellationToken);

    public async Task EnqueueAsync(WorkItem item, TimeSpan delay, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _items.Add(item);
        _delays.Add(delay);
        _messages.Add(item.ToJson());
        if (OnEnqueued is { } onEnqueued) await onEnqueued(item, cancellationToken);
    }
}
