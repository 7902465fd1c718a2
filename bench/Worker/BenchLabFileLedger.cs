using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Bench.Worker;

/// <summary>The ledger in two dictionaries, with Cosmos DB's conditional unit saves; <see cref="Restore"/> puts a file back as it arrived.</summary>
internal sealed class BenchLabFileLedger : ILabFileLedger
{
    private readonly Dictionary<string, LedgerFile> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<(string FileId, int UnitIndex), LedgerUnit> _units = [];
    private int _version;

    public void Restore(LedgerFile file, IEnumerable<LedgerUnit> units)
    {
        _files[file.FileId] = file;
        foreach (var unit in units) _units[(unit.FileId, unit.UnitIndex)] = unit;
    }

    public Task<LedgerFile?> FindFileAsync(string fileId, CancellationToken cancellationToken) => Task.FromResult(_files.GetValueOrDefault(fileId));

    public Task SaveFileAsync(LedgerFile file, CancellationToken cancellationToken)
    {
        _files[file.FileId] = file;
        return Task.CompletedTask;
    }

    public Task<LedgerUnit?> FindUnitAsync(string fileId, int unitIndex, CancellationToken cancellationToken) =>
        Task.FromResult(_units.GetValueOrDefault((fileId, unitIndex)));

    public Task<LedgerUnit> SaveUnitAsync(LedgerUnit unit, CancellationToken cancellationToken)
    {
        if (_units.GetValueOrDefault((unit.FileId, unit.UnitIndex))?.ETag != unit.ETag) throw new LedgerConflictException(unit.FileId, unit.UnitIndex);
        var saved = unit with { ETag = $"\"{++_version}\"" };
        _units[(unit.FileId, unit.UnitIndex)] = saved;
        return Task.FromResult(saved);
    }

    public Task<IReadOnlyList<LedgerUnit>> ListUnitsAsync(string fileId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LedgerUnit>>([.. _units.Values.Where(u => u.FileId == fileId).OrderBy(u => u.UnitIndex)]);

    public Task<bool> HasUnfinishedUnitsAsync(string fileId, CancellationToken cancellationToken) =>
        Task.FromResult(_units.Values.Any(u => u.FileId == fileId && u.State.IsUnfinished()));

    public Task<LedgerFilePage> ListFilesAsync(FileState? state, int pageSize, string? continuation, CancellationToken cancellationToken) =>
        Task.FromResult(new LedgerFilePage([.. _files.Values.Where(f => state is null || f.State == state).Take(pageSize)], null));
}
