using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace PrecisionMed.Core.Knowledge.Diff;

/// <summary>
/// Watches one import's documents and works out what they change in the store: classifications through the source's
/// inventory (compared bucket by bucket, only the buckets whose hash moved are read), recommendations by reading each
/// gene set's stored document before the new one replaces it. Then stores the diff with the version the import made.
/// </summary>
internal sealed class KnowledgeDiffRecorder(IKnowledgeStore store, ImpactMatrix matrix)
{
    private readonly ClassificationInventory _inventory = new();
    private readonly ConcurrentBag<KnowledgeChange> _recommendations = [];

    /// <summary>Called for each document before it is written (the stored one is still the old one).</summary>
    public async ValueTask ObserveAsync(KnowledgeDocument document, CancellationToken cancellationToken)
    {
        switch (document)
        {
            case VariantDocument or VariantHgvsDocument:
                _inventory.Add(document);
                break;
            case GuidelineSetDocument set:
                foreach (var change in RecommendationDiffer.Compare(await store.ReadAsync(set.Id, cancellationToken) as GuidelineSetDocument, set, matrix))
                    _recommendations.Add(change);
                break;
            case GuidelineIndexDocument index when await store.ReadAsync(index.Id, cancellationToken) is GuidelineIndexDocument old:
                var now = index.GeneSets.Select(s => KnowledgeIds.GuidelineSet(s.Genes)).ToHashSet(StringComparer.Ordinal);
                foreach (var gone in old.GeneSets.Select(s => KnowledgeIds.GuidelineSet(s.Genes)).Where(id => !now.Contains(id)))
                {
                    foreach (var change in RecommendationDiffer.Compare(await store.ReadAsync(gone, cancellationToken) as GuidelineSetDocument, null, matrix))
                        _recommendations.Add(change);
                }

                break;
        }
    }

    /// <summary>
    /// The diff, with what must be written to keep it (the inventory, the diff and its log entry) and the documents of
    /// removed classifications to delete. Nothing to write when the import changed nothing.
    /// </summary>
    public async Task<RecordedDiff> CompleteAsync(string source, string file, string? fromVersion, string createdAt, CancellationToken cancellationToken)
    {
        var changes = new List<KnowledgeChange>();
        var writes = new List<KnowledgeDocument>();
        var deletes = new List<string>();
        var baseline = false;
        long baselineAdded = 0;
        string oldHash = string.Empty, newHash = string.Empty;

        if (_inventory.Count > 0)
        {
            var scope = _inventory.Scope(source);
            var old = await store.ReadAsync(ClassificationInventory.IndexId(scope), cancellationToken) as ClassificationInventoryDocument;
            var buckets = _inventory.ToBuckets();
            var hashes = buckets.ToDictionary(b => b.Key, b => KnowledgeJson.ContentHash(new ClassificationBucketDocument(scope, b.Key, b.Value)), StringComparer.Ordinal);
            var oldHashes = old?.Buckets.ToDictionary(b => b.Bucket, b => b.Sha256, StringComparer.Ordinal) ?? [];
            var moved = hashes.Keys.Union(oldHashes.Keys).Where(b => hashes.GetValueOrDefault(b) != oldHashes.GetValueOrDefault(b)).Order(StringComparer.Ordinal).ToList();
            oldHash = Hash(oldHashes);
            newHash = Hash(hashes);
            baseline = old is null;

            foreach (var bucket in moved)
            {
                var after = buckets.GetValueOrDefault(bucket) ?? [];
                if (baseline)
                {
                    baselineAdded += after.Count;
                }
                else
                {
                    var before = oldHashes.ContainsKey(bucket) && await store.ReadAsync(ClassificationInventory.BucketId(scope, bucket), cancellationToken) is ClassificationBucketDocument stored
                        ? stored.Records
                        : [];
                    changes.AddRange(ClassificationDiffer.Compare(before, after, matrix, _inventory.ReleaseDate ?? createdAt));
                }

                writes.Add(new ClassificationBucketDocument(scope, bucket, after));
            }

            if (moved.Count > 0)
                writes.Add(new ClassificationInventoryDocument(scope, _inventory.ReleaseDate, [.. hashes.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => new InventoryBucketHash(h.Key, h.Value))]));
            deletes.AddRange(RemovedDocumentIds(changes, buckets));
        }

        changes.AddRange(_recommendations.OrderBy(c => c.Key, StringComparer.Ordinal));
        var added = baselineAdded + changes.Count(c => c.Kind == ChangeKind.Added);
        var changed = changes.Count(c => c.Kind == ChangeKind.Changed);
        var removed = changes.Count(c => c.Kind == ChangeKind.Removed);
        var recommendationHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', _recommendations.Select(c => $"{c.Key}|{c.Kind}|{c.OldValue}|{c.NewValue}").Order(StringComparer.Ordinal)))));
        var id = "kd-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{source}|{fromVersion}|{oldHash}|{newHash}|{recommendationHash}")))[..12];
        var diff = new KnowledgeDiff(id, source, file, fromVersion, string.Empty, createdAt, baseline, added, changed, removed, ImpactCounts.Of(changes), changes);
        return new RecordedDiff(diff, writes, deletes);
    }

    /// <summary>The documents of removed classifications, except those the import wrote again (a location ClinVar now gives another VariationID).</summary>
    private static List<string> RemovedDocumentIds(List<KnowledgeChange> changes, SortedDictionary<string, List<ClassificationRecord>> now)
    {
        var removed = changes.Where(c => c.Kind == ChangeKind.Removed).ToList();
        if (removed.Count == 0) return [];
        var kept = now.Values.SelectMany(r => r).SelectMany(r => r.Locations.Concat(r.Hgvs)).ToHashSet(StringComparer.Ordinal);
        return removed
            .SelectMany(c => c.Locations.Where(l => !kept.Contains(l)).Select(ClassificationRecord.ParseLocation).OfType<VariantLocation>().Select(KnowledgeIds.Variant)
                .Concat(c.Hgvs.Where(h => !kept.Contains(h)).Select(KnowledgeIds.Hgvs)))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    private static string Hash(IReadOnlyDictionary<string, string> buckets) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(buckets.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => $"{b.Key}={b.Value}\n")))));
}

/// <summary>A computed diff and the store writes that keep it.</summary>
internal sealed record RecordedDiff(KnowledgeDiff Diff, IReadOnlyList<KnowledgeDocument> InventoryWrites, IReadOnlyList<string> Deletes);
