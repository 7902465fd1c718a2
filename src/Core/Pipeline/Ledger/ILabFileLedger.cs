namespace PrecisionMed.Core.Pipeline.Ledger;

/// <summary>
/// The ledger of files and report units (Cosmos DB in Azure, partition key = file id). Every
/// operation is a point read/write or a single-partition query.
/// </summary>
public interface ILabFileLedger
{
    Task<LedgerFile?> FindFileAsync(string fileId, CancellationToken cancellationToken);

    Task SaveFileAsync(LedgerFile file, CancellationToken cancellationToken);

    Task<LedgerUnit?> FindUnitAsync(string fileId, int unitIndex, CancellationToken cancellationToken);

    /// <summary>
    /// Saves a unit record only if nobody changed it since it was read (its <see cref="LedgerUnit.ETag"/>), or, for a
    /// record without an ETag, only if none exists; otherwise throws <see cref="LedgerConflictException"/>. Returns
    /// the record as saved, with its new ETag.
    /// </summary>
    Task<LedgerUnit> SaveUnitAsync(LedgerUnit unit, CancellationToken cancellationToken);

    Task<IReadOnlyList<LedgerUnit>> ListUnitsAsync(string fileId, CancellationToken cancellationToken);

    /// <summary>
    /// Whether any unit record of the file is still unfinished (<see cref="UnitStates.Unfinished"/>: pending, processing or waiting).
    /// Reads at most one record (not the file's N), so every unit of a file asking once as it ends costs O(N) in all.
    /// </summary>
    Task<bool> HasUnfinishedUnitsAsync(string fileId, CancellationToken cancellationToken);

    /// <summary>
    /// One page of file records, optionally only those in <paramref name="state"/>, in no particular order: the one
    /// query that spans files (ops asking "what failed?"). Pass the page's <see cref="LedgerFilePage.Continuation"/>
    /// back for the next page; null means there is none.
    /// </summary>
    Task<LedgerFilePage> ListFilesAsync(FileState? state, int pageSize, string? continuation, CancellationToken cancellationToken);
}

/// <summary>A page of file records and where the next page starts (null: this was the last).</summary>
public sealed record LedgerFilePage(IReadOnlyList<LedgerFile> Files, string? Continuation);

/// <summary>
/// A continuation given to <see cref="ILabFileLedger.ListFilesAsync"/> that the ledger cannot read (malformed, cut, or from
/// another listing): the caller's mistake, answered as one, not as the store failing.
/// </summary>
public sealed class InvalidContinuationException()
    : Exception("The continuation is not one a page of this listing gave.");

/// <summary>A conditional ledger save lost a race: another delivery saved the record first.</summary>
public sealed class LedgerConflictException(string fileId, int unitIndex)
    : Exception($"Unit {unitIndex} of file {fileId} was saved by another delivery in the meantime.")
{
    public string FileId { get; } = fileId;

    public int UnitIndex { get; } = unitIndex;
}
