namespace PrecisionMed.Core.Pipeline.Reinterpretation;

/// <summary>The <c>reinterpretations</c> queue: one work item per affected report (a Storage Queue in Azure).</summary>
public interface IReinterpretationQueue
{
    /// <summary>Queues the item, hidden for <paramref name="delay"/> (how a run's rate limit spreads its items).</summary>
    Task EnqueueAsync(ReinterpretationWorkItem item, TimeSpan delay, CancellationToken cancellationToken);
}
