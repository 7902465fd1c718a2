using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Core.Tests.Fakes;

/// <summary>The ledger in two dictionaries; records are immutable, so they are stored as saved.</summary>
internal sealed class InMemoryLabFileLedger : ILabFileLedger
{
    private readonly Dictionary<string, LedgerFile> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<(string FileId, int UnitIndex), LedgerUnit> _units = [];

    public int SaveCount { get; private set; }

    public IReadOnlyCollection<LedgerFile> Files => _files.Values;

    public Task<LedgerFile?> FindFileAsync(string fileId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_files.GetValueOrDefault(fileId));
    }

    public Task SaveFileAsync(LedgerFile file, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _files[file.FileId] = file;
        SaveCount++;
        return Task.CompletedTask;
    }

    public Task<LedgerUnit?> FindUnitAsync(string fileId, int unitIndex, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_units.GetValueOrDefault((fileId, unitIndex)));
    }

    public Task SaveUnitAsync(LedgerUnit unit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _units[(unit.FileId, unit.UnitIndex)] = unit;
        SaveCount++;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<LedgerUnit>> ListUnitsAsync(string fileId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<LedgerUnit> units = [.. _units.Values.Where(u => u.FileId == fileId).OrderBy(u => u.UnitIndex)];
        return Task.FromResult(units);
    }
}
