using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Pipeline.Ledger;

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
