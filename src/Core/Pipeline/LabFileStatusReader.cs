using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Core.Pipeline;

/// <summary>A file's ledger record with its units: what ops and labs see when they ask about a file.</summary>
public sealed record LabFileStatus(LedgerFile File, IReadOnlyList<LedgerUnit> Units);

public sealed class LabFileStatusReader(ILabFileLedger ledger)
{
    public async Task<LabFileStatus?> ReadAsync(string fileId, CancellationToken cancellationToken)
    {
        var file = await ledger.FindFileAsync(fileId, cancellationToken);
        return file is null ? null : new LabFileStatus(file, await ledger.ListUnitsAsync(fileId, cancellationToken));
    }
}
