using System.Security.Cryptography;
using System.Text;

namespace PrecisionMed.Core.Knowledge.Diff;

/// <summary>
/// Collects, as an import streams its documents, one <see cref="ClassificationRecord"/> per classification (ClinVar's
/// VariationID, with every location and HGVS the source gave it), then lays them out in buckets. Thread-safe: the
/// importer upserts in parallel. An inventory's scope is the source and the builds its file covers (<c>clinvar:GRCh37</c>
/// for a GRCh37 VCF release, <c>clinvar:GRCh37+GRCh38</c> for variant_summary): a store follows one series of releases,
/// and the first import of another series is a baseline, not a removal of everything the other series held.
/// </summary>
public sealed class ClassificationInventory
{
    /// <summary>Buckets per inventory: ~3,000 records (~400 KB) each for a whole ClinVar release.</summary>
    public const int Buckets = 1024;

    private readonly Dictionary<string, Builder> _records = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _builds = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private string? _releaseDate;

    public static string IndexId(string scope) => "inventory:" + scope;

    public static string BucketId(string scope, string bucket) => $"inventory:{scope}:{bucket}";

    public static string BucketOf(string key) => (BitConverter.ToUInt16(SHA256.HashData(Encoding.UTF8.GetBytes(key)), 0) % Buckets).ToString("x3", System.Globalization.CultureInfo.InvariantCulture);

    public int Count
    {
        get
        {
            lock (_lock) return _records.Count;
        }
    }

    /// <summary>Takes note of a classification document; other documents are ignored.</summary>
    public void Add(KnowledgeDocument document)
    {
        var (classification, location, hgvs) = document switch
        {
            VariantDocument v => (v.Classification, ClassificationRecord.LocationKey(v.Location), null),
            VariantHgvsDocument h => (h.Classification, (string?)null, KnowledgeIds.NormaliseHgvs(h.Hgvs)),
            _ => default,
        };
        if (classification is null) return;
        var key = classification.VariationId ?? location ?? hgvs!;
        lock (_lock)
        {
            if (document is VariantDocument variant) _builds.Add(KnowledgeIds.NormaliseBuild(variant.Location.Build));
            _releaseDate ??= classification.ReleaseDate;
            if (!_records.TryGetValue(key, out var builder)) _records[key] = builder = new Builder(classification);
            if (location is not null) builder.Locations.Add(location);
            if (hgvs is not null) builder.Hgvs.Add(hgvs);
        }
    }

    /// <summary>The scope of what was read: <c>SOURCE:BUILDS</c>.</summary>
    public string Scope(string source)
    {
        lock (_lock) return _builds.Count == 0 ? source : $"{source}:{string.Join('+', _builds)}";
    }

    public string? ReleaseDate
    {
        get
        {
            lock (_lock) return _releaseDate;
        }
    }

    /// <summary>The records by bucket, each bucket's records in key order.</summary>
    public SortedDictionary<string, List<ClassificationRecord>> ToBuckets()
    {
        var buckets = new SortedDictionary<string, List<ClassificationRecord>>(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var (key, builder) in _records)
            {
                var bucket = BucketOf(key);
                if (!buckets.TryGetValue(bucket, out var records)) buckets[bucket] = records = [];
                records.Add(builder.Build(key));
            }
        }

        foreach (var records in buckets.Values) records.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return buckets;
    }

    private sealed class Builder(VariantClassification classification)
    {
        public SortedSet<string> Locations { get; } = new(StringComparer.Ordinal);

        public SortedSet<string> Hgvs { get; } = new(StringComparer.Ordinal);

        public ClassificationRecord Build(string key) => new(
            key,
            classification.Significance,
            classification.ReviewStatus,
            classification.LastEvaluated ?? classification.ReleaseDate,
            [.. classification.Genes],
            [.. Locations],
            [.. Hgvs]);
    }
}
