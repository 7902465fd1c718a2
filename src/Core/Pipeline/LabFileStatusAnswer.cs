using PrecisionMed.Core.Formats;
using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Core.Pipeline;

/// <summary>
/// A file's status as the status API answers it: the ledger record and its units, the lab's file name and every path
/// or text that quotes it left out unless <see cref="FileNameDisclosure.Shown"/>.
/// </summary>
public sealed record LabFileStatusAnswer(LabFileDetail File, IReadOnlyList<LedgerUnit> Units)
{
    public static LabFileStatusAnswer Of(LabFileStatus status, FileNameDisclosure names)
    {
        var file = status.File;
        if (names == FileNameDisclosure.Shown) return new LabFileStatusAnswer(LabFileDetail.Of(file, file.BlobName, file.StoredAt, file.Problem, file.History), status.Units);

        return new LabFileStatusAnswer(
            LabFileDetail.Of(file, blobName: null, storedAt: null, FileNames.Withhold(file.Problem, file.BlobName), FileNames.Withhold(file.History, file.BlobName)),
            [.. status.Units.Select(u => FileNames.Withhold(u, file.BlobName))]);
    }
}

/// <summary>
/// A ledger file record as answered: <see cref="BlobName"/> and <see cref="StoredAt"/> (a path that contains the name)
/// are null when the name is withheld.
/// </summary>
public sealed record LabFileDetail(
    string FileId,
    string LabId,
    string? BlobName,
    string ContentHash,
    LabFileFormat Format,
    FileState State,
    int UnitCount,
    DateTimeOffset ReceivedAt,
    DateTimeOffset UpdatedAt,
    LabFileProblem? Problem,
    string? StoredAt,
    int DuplicateCount,
    IReadOnlyList<LedgerEvent> History)
{
    internal static LabFileDetail Of(LedgerFile file, string? blobName, string? storedAt, LabFileProblem? problem, IReadOnlyList<LedgerEvent> history) => new(
        file.FileId, file.LabId, blobName, file.ContentHash, file.Format, file.State, file.UnitCount, file.ReceivedAt, file.UpdatedAt,
        problem, storedAt, file.DuplicateCount, history);
}
