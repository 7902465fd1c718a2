using System.Collections.Concurrent;

namespace PrecisionMed.Core.Pipeline.Reinterpretation;

/// <summary>
/// The reinterpretation work items' records (<see cref="ReinterpretationRecord"/>): Cosmos DB beside the lab files'
/// ledger in Azure (partition per run), in memory for tests and runs without an account.
/// </summary>
public interface IReinterpretationLedger
{
    Task<ReinterpretationRecord?> FindAsync(string runId, string itemId, CancellationToken cancellationToken);

    /// <summary>
    /// Saves the record only if nobody saved it since it was read (its <see cref="ReinterpretationRecord.ETag"/>), or,
    /// without an ETag, only if none exists; otherwise throws <see cref="ReinterpretationConflictException"/>.
    /// Returns the record as saved, with its new ETag.
    /// </summary>
    Task<ReinterpretationRecord> SaveAsync(ReinterpretationRecord record, CancellationToken cancellationToken);

    /// <summary>Every record of a run (one partition).</summary>
    Task<IReadOnlyList<ReinterpretationRecord>> ListAsync(string runId, CancellationToken cancellationToken);
}

/// <summary>A conditional save lost a race: another delivery saved the record first.</summary>
public sealed class ReinterpretationConflictException(string runId, string itemId)
    : Exception($"Reinterpretation {itemId} of run {runId} was saved by another delivery in the meantime.");

/// <summary>The ledger in memory, with the same compare-and-swap as Cosmos DB's ETags.</summary>
public sealed class InMemoryReinterpretationLedger : IReinterpretationLedger
{
    private readonly ConcurrentDictionary<(string RunId, string ItemId), ReinterpretationRecord> _records = new();
    private readonly Lock _lock = new();

    public Task<ReinterpretationRecord?> FindAsync(string runId, string itemId, CancellationToken cancellationToken) =>
        Task.FromResult(_records.GetValueOrDefault((runId, itemId)));

    public Task<ReinterpretationRecord> SaveAsync(ReinterpretationRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_lock)
        {
            var key = (record.RunId, record.ItemId);
            var stored = _records.GetValueOrDefault(key);
            if (record.ETag is null ? stored is not null : stored?.ETag != record.ETag) throw new ReinterpretationConflictException(record.RunId, record.ItemId);
            var saved = record with { ETag = Guid.NewGuid().ToString("N") };
            _records[key] = saved;
            return Task.FromResult(saved);
        }
    }

    public Task<IReadOnlyList<ReinterpretationRecord>> ListAsync(string runId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ReinterpretationRecord>>([.. _records.Values.Where(r => r.RunId == runId).OrderBy(r => r.ItemId, StringComparer.Ordinal)]);
}
