namespace PrecisionMed.Core.Knowledge.Diff;

/// <summary>
/// What a source said about one variant in one import, kept in the inventory so the next import can tell what it changed:
/// the classification's identity (ClinVar's VariationID), its value and date, and where a report may carry it.
/// </summary>
/// <param name="Key">The VariationID; for a row without one, its first location.</param>
/// <param name="Date">When the classification was made: LastEvaluated, else the release's date.</param>
/// <param name="Locations">Every <c>build:chrom:pos:ref:alt</c> the source placed it at (VCF-style, 1-based).</param>
/// <param name="Hgvs">Its HGVS lookup keys (c. and g.), for reports without coordinates.</param>
public sealed record ClassificationRecord(
    string Key,
    string Significance,
    string? ReviewStatus,
    string? Date,
    IReadOnlyList<string> Genes,
    IReadOnlyList<string> Locations,
    IReadOnlyList<string> Hgvs)
{
    /// <summary>Whether the classification a report would carry differs (its significance or review status).</summary>
    public bool SameAs(ClassificationRecord other) =>
        Significance == other.Significance && ReviewStatus == other.ReviewStatus;

    /// <summary><c>GRCh37:1:949523:C:T</c>: the normalised natural key of <see cref="KnowledgeIds.Variant"/>.</summary>
    public static string LocationKey(VariantLocation location) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{KnowledgeIds.NormaliseBuild(location.Build)}:{KnowledgeIds.NormaliseChromosome(location.Chromosome)}:{location.Position}:{location.Ref.Trim().ToUpperInvariant()}:{location.Alt.Trim().ToUpperInvariant()}");

    /// <summary>The location of a <see cref="LocationKey"/>; null when it is not one.</summary>
    public static VariantLocation? ParseLocation(string key)
    {
        var parts = key.Split(':');
        return parts.Length == 5 && long.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var position)
            ? new VariantLocation(parts[0], parts[1], position, parts[3], parts[4])
            : null;
    }
}

/// <summary>
/// One bucket of a source's inventory (its records by VariationID, hashed into <see cref="ClassificationInventory.Buckets"/>
/// buckets so that a whole ClinVar release, some 3 million variants, stays under Cosmos DB's 2 MB per document).
/// </summary>
public sealed record ClassificationBucketDocument(string Source, string Bucket, IReadOnlyList<ClassificationRecord> Records) : KnowledgeDocument
{
    public override string Id => ClassificationInventory.BucketId(Source, Bucket);
}

/// <summary>The index of a source's inventory: each bucket's content hash, so an import reads and rewrites only the buckets it changed.</summary>
/// <param name="Date">The release date of the import that wrote it (the old side's date of a removal).</param>
public sealed record ClassificationInventoryDocument(string Source, string? Date, IReadOnlyList<InventoryBucketHash> Buckets) : KnowledgeDocument
{
    public override string Id => ClassificationInventory.IndexId(Source);
}

public sealed record InventoryBucketHash(string Bucket, string Sha256);
