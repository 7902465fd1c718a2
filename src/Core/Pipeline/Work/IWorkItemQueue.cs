namespace PrecisionMed.Core.Pipeline.Work;

/// <summary>The <c>lab-reports</c> queue (Azure Storage Queue).</summary>
public interface IWorkItemQueue
{
    Task EnqueueAsync(WorkItem item, CancellationToken cancellationToken);

    /// <summary>Queues <paramref name="item"/> invisible until <paramref name="delay"/> has passed (at most <see cref="PipelineOptions.MaxQueueDelay"/>).</summary>
    Task EnqueueAsync(WorkItem item, TimeSpan delay, CancellationToken cancellationToken);
}
