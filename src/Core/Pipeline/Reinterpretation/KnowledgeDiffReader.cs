using System.Collections.Concurrent;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Diff;

namespace PrecisionMed.Core.Pipeline.Reinterpretation;

/// <summary>
/// Reads a stored diff (its header and pages) from the knowledge store, once per process: every work item of a run
/// names the same diff, and a diff never changes once written.
/// </summary>
public sealed class KnowledgeDiffReader(IKnowledgeStore store)
{
    private const int Kept = 8;
    private readonly ConcurrentDictionary<string, Lazy<Task<KnowledgeDiff?>>> _diffs = new(StringComparer.Ordinal);

    public async Task<KnowledgeDiff?> ReadAsync(string diffId, CancellationToken cancellationToken)
    {
        if (_diffs.Count > Kept) _diffs.Clear();
        var lazy = _diffs.GetOrAdd(diffId, id => new Lazy<Task<KnowledgeDiff?>>(() => LoadAsync(id, CancellationToken.None)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch
        {
            // A store that failed this time is asked again next time, not remembered as failing.
            _diffs.TryRemove(diffId, out _);
            throw;
        }
    }

    /// <summary>Every diff stored after <paramref name="sinceVersion"/> (the knowledge version a run last reached), oldest first; the last diff when null.</summary>
    public async Task<IReadOnlyList<KnowledgeDiffLogEntry>> SinceAsync(string? sinceVersion, CancellationToken cancellationToken)
    {
        var log = await store.ReadAsync(KnowledgeDiffLogDocument.LogId, cancellationToken) as KnowledgeDiffLogDocument;
        var diffs = log?.Diffs ?? [];
        if (sinceVersion is null) return diffs.Count == 0 ? [] : [diffs[^1]];
        var at = diffs.Select((d, i) => (d, i)).LastOrDefault(x => x.d.ToVersion == sinceVersion || x.d.FromVersion == sinceVersion);
        if (at.d is null) return diffs;
        return [.. diffs.Skip(at.d.ToVersion == sinceVersion ? at.i + 1 : at.i)];
    }

    private async Task<KnowledgeDiff?> LoadAsync(string diffId, CancellationToken cancellationToken)
    {
        if (await store.ReadAsync(KnowledgeDiffDocument.IdOf(diffId), cancellationToken) is not KnowledgeDiffDocument header)
        {
            _diffs.TryRemove(diffId, out _);
            return null;
        }

        var changes = new List<KnowledgeChange>();
        for (var page = 0; page < header.Pages; page++)
        {
            if (await store.ReadAsync(KnowledgeDiffDocument.PageId(diffId, page), cancellationToken) is KnowledgeDiffPageDocument stored) changes.AddRange(stored.Changes);
        }

        return new KnowledgeDiff(header.DiffId, header.Source, header.File, header.FromVersion, header.ToVersion, header.CreatedAt, header.Baseline, header.Added, header.Changed, header.Removed, header.Impacts, changes);
    }
}
