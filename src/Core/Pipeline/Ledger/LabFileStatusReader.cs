using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Pipeline.Ledger;

/// <summary>A file's ledger record with its units: what ops and labs see when they ask about a file.</summary>
public sealed record LabFileStatus(LedgerFile File, IReadOnlyList<LedgerUnit> Units);

/// <summary>
/// One line of a ledger listing: the file, its units counted by state, the last problem and when. No blob name unless
/// an operator asked (<see cref="FileNameDisclosure"/>): labs put patient names in file names.
/// </summary>
public sealed record LabFileSummary(
    string FileId,
    string LabId,
    LabFileFormat Format,
    FileState State,
    int UnitCount,
    IReadOnlyDictionary<UnitState, int> Units,
    LabFileProblem? LastProblem,
    DateTimeOffset ReceivedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The lab's file name: only when shown to an operator, else null (and left out of the JSON answer).</summary>
    public string? BlobName { get; init; }

    public static LabFileSummary Of(LedgerFile file, IReadOnlyList<LedgerUnit> units)
    {
        var counts = units.GroupBy(u => u.State).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());

        // The file's own problem (rejected whole) says most; otherwise the unit that went wrong last.
        var lastProblem = file.Problem
            ?? units.Where(u => u.Problem is not null).OrderByDescending(u => u.UpdatedAt).Select(u => u.Problem).FirstOrDefault();
        var updatedAt = units.Count == 0 ? file.UpdatedAt : new[] { file.UpdatedAt, units.Max(u => u.UpdatedAt) }.Max();
        return new LabFileSummary(file.FileId, file.LabId, file.Format, file.State, file.UnitCount, counts, lastProblem, file.ReceivedAt, updatedAt);
    }
}

/// <summary>A page of a ledger listing and where the next one starts (null: this was the last).</summary>
public sealed record LabFileStatusPage(IReadOnlyList<LabFileSummary> Files, string? Continuation);

public sealed class LabFileStatusReader(ILabFileLedger ledger)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public async Task<LabFileStatus?> ReadAsync(string fileId, CancellationToken cancellationToken)
    {
        var file = await ledger.FindFileAsync(fileId, cancellationToken);
        return file is null ? null : new LabFileStatus(file, await ledger.ListUnitsAsync(fileId, cancellationToken));
    }

    /// <summary>A file's status as the status API answers it: without the lab's file name unless <paramref name="names"/> shows it.</summary>
    public async Task<LabFileStatusAnswer?> ReadAsync(string fileId, FileNameDisclosure names, CancellationToken cancellationToken) =>
        await ReadAsync(fileId, cancellationToken) is { } status ? LabFileStatusAnswer.Of(status, names) : null;

    /// <summary>
    /// One page of files, optionally only those in <paramref name="state"/>, each with its units counted (one
    /// single-partition query per file). <paramref name="pageSize"/> is kept within 1..<see cref="MaxPageSize"/>.
    /// </summary>
    public Task<LabFileStatusPage> ListAsync(FileState? state, int pageSize, string? continuation, CancellationToken cancellationToken) =>
        ListAsync(state, pageSize, continuation, FileNameDisclosure.Withheld, cancellationToken);

    /// <summary>As <see cref="ListAsync(FileState?, int, string?, CancellationToken)"/>, each file's name shown when <paramref name="names"/> says so.</summary>
    public async Task<LabFileStatusPage> ListAsync(FileState? state, int pageSize, string? continuation, FileNameDisclosure names, CancellationToken cancellationToken)
    {
        var page = await ledger.ListFilesAsync(state, Math.Clamp(pageSize, 1, MaxPageSize), continuation, cancellationToken);
        var files = new List<LabFileSummary>(page.Files.Count);
        foreach (var file in page.Files) files.Add(FileNames.Summary(file, await ledger.ListUnitsAsync(file.FileId, cancellationToken), names));
        return new LabFileStatusPage(files, page.Continuation);
    }
}
