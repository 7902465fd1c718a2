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

    Task SaveUnitAsync(LedgerUnit unit, CancellationToken cancellationToken);

    Task<IReadOnlyList<LedgerUnit>> ListUnitsAsync(string fileId, CancellationToken cancellationToken);
}
