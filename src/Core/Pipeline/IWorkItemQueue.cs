namespace PrecisionMed.Core.Pipeline;

/// <summary>The <c>lab-reports</c> queue (Azure Storage Queue).</summary>
public interface IWorkItemQueue
{
    Task EnqueueAsync(WorkItem item, CancellationToken cancellationToken);
}
