namespace PrecisionMed.Core.Pipeline.Ledger;

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
