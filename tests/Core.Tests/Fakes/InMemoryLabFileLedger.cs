using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Core.Tests.Fakes;

/// <summary>The ledger in two dictionaries; records are immutable, so they are stored as saved.</summary>
internal sealed class InMemoryLabFileLedger : ILabFileLedger
{
    private readonly Dictionary<string, LedgerFile> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<(string FileId, int UnitIndex), LedgerUnit> _units = [];

    // A file's units by index, so listing them does not scan every unit of every file (fuzzing saves tens of thousands).
    private readonly Dictionary<string, SortedList<int, LedgerUnit>> _unitsByFile = new(StringComparer.Ordinal);

    private int _version;

    public int SaveCount { get; private set; }

    /// <summary>Requests as Cosmos DB would count them: a point read or write each, a query one per call (a page).</summary>
    public int Requests => _requests;

    /// <summary>Unit records returned by queries: what a listing costs beyond its request.</summary>
    public long UnitRecordsQueried => Interlocked.Read(ref _unitRecordsQueried);

    private int _requests;
    private long _unitRecordsQueried;

    public void ResetRequestCounts()
    {
        _requests = 0;
        _unitRecordsQueried = 0;
    }

    private void Count() => Interlocked.Increment(ref _requests);

    public IReadOnlyCollection<LedgerFile> Files => _files.Values;

    public Task<LedgerFile?> FindFileAsync(string fileId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Count();
        return Task.FromResult(_files.GetValueOrDefault(fileId));
    }

    public Task SaveFileAsync(LedgerFile file, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Count();
        _files[file.FileId] = file;
        SaveCount++;
        return Task.CompletedTask;
    }

    public Task<LedgerUnit?> FindUnitAsync(string fileId, int unitIndex, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Count();
        return Task.FromResult(_units.GetValueOrDefault((fileId, unitIndex)));
    }

    /// <summary>
    /// Runs once, at the start of the next unit save (then cleared): another writer's save landing between a delivery's
    /// read of the unit and its own save, as two deliveries racing do.
    /// </summary>
    public Func<Task>? BeforeNextUnitSave { get; set; }

    /// <summary>ETag-conditional, as Cosmos DB is: create only when absent, replace only the version read.</summary>
    public async Task<LedgerUnit> SaveUnitAsync(LedgerUnit unit, CancellationToken cancellationToken)
    {
        if (BeforeNextUnitSave is { } racing)
        {
            BeforeNextUnitSave = null;
            await racing();
        }

        return await SaveUnitNowAsync(unit, cancellationToken);
    }

    private Task<LedgerUnit> SaveUnitNowAsync(LedgerUnit unit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Count();
        lock (_units)
        {
            var stored = _units.GetValueOrDefault((unit.FileId, unit.UnitIndex));
            if (stored?.ETag != unit.ETag) throw new LedgerConflictException(unit.FileId, unit.UnitIndex);
            var saved = unit with { ETag = $"\"{++_version}\"" };
            _units[(unit.FileId, unit.UnitIndex)] = saved;
            if (!_unitsByFile.TryGetValue(unit.FileId, out var ofFile)) _unitsByFile[unit.FileId] = ofFile = [];
            ofFile[unit.UnitIndex] = saved;
            SaveCount++;
            return Task.FromResult(saved);
        }
    }

    /// <summary>Pages in file id order; the continuation is the offset of the next page.</summary>
    public Task<LedgerFilePage> ListFilesAsync(FileState? state, int pageSize, string? continuation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var offset = 0;
        if (continuation is not null && !int.TryParse(continuation, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out offset))
            throw new InvalidContinuationException();
        var matching = _files.Values.Where(f => state is null || f.State == state).OrderBy(f => f.FileId, StringComparer.Ordinal).ToList();
        var page = matching.Skip(offset).Take(pageSize).ToList();
        var next = offset + page.Count < matching.Count ? (offset + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return Task.FromResult(new LedgerFilePage(page, next));
    }

    public Task<IReadOnlyList<LedgerUnit>> ListUnitsAsync(string fileId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Count();
        lock (_units)
        {
            IReadOnlyList<LedgerUnit> units = _unitsByFile.TryGetValue(fileId, out var ofFile) ? [.. ofFile.Values] : [];
            Interlocked.Add(ref _unitRecordsQueried, units.Count);
            return Task.FromResult(units);
        }
    }

    public Task<bool> HasUnfinishedUnitsAsync(string fileId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Count();
        lock (_units)
        {
            var unfinished = _unitsByFile.TryGetValue(fileId, out var ofFile)
                && ofFile.Values.Any(u => u.State.IsUnfinished());
            if (unfinished) Interlocked.Increment(ref _unitRecordsQueried);
            return Task.FromResult(unfinished);
        }
    }
}
