namespace PrecisionMed.Core.Pipeline.Review;

/// <summary>
/// The <c>review/</c> area: a copy of each file with a held report at <c>review/{labId}/{hash}/{name}</c> (under its
/// content hash, as <see cref="LabFileOriginals"/> keeps every original; the original stays in <c>incoming/</c> until
/// every unit is resolved) and one <c>{name}.unit-{n}.held.json</c> per held unit beside it.
/// </summary>
public sealed class ReviewArea(ILabFileStore store)
{
    private const string HeldSuffix = ".held.json";

    public static LabFileLocation CopyOf(string labId, string contentHash, string blobName) => LabFileOriginals.InReview(labId, contentHash, blobName);

    public static LabFileLocation HeldReportOf(string labId, string contentHash, string blobName, int unitIndex)
    {
        var copy = CopyOf(labId, contentHash, blobName);
        return copy with { Path = $"{copy.Path}.unit-{unitIndex + 1}{HeldSuffix}" };
    }

    /// <summary>Copies the original here (once per file) and writes the unit's reason beside it.</summary>
    public async Task HoldAsync(LabFileLocation original, HeldReport report, string contentHash, string blobName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        await store.CopyAsync(original, CopyOf(report.LabId, contentHash, blobName), cancellationToken);
        await store.WriteAsync(HeldReportOf(report.LabId, contentHash, blobName, report.UnitIndex), report.ToUtf8Json(), "application/json", cancellationToken);
    }

    /// <summary>Every held report in the area, in path order (what <c>pmed review list</c> shows).</summary>
    public async Task<IReadOnlyList<HeldReport>> ListAsync(CancellationToken cancellationToken)
    {
        var reports = new List<HeldReport>();
        foreach (var location in await store.ListAsync(LabFileAreas.Review, string.Empty, cancellationToken))
        {
            if (!location.Path.EndsWith(HeldSuffix, StringComparison.Ordinal)) continue;
            await using var content = await store.OpenReadAsync(location, cancellationToken);
            if (content is null) continue; // resolved meanwhile
            using var buffer = new MemoryStream();
            await content.CopyToAsync(buffer, cancellationToken);
            if (HeldReport.Parse(buffer.ToArray()) is { } report) reports.Add(report);
        }

        return reports;
    }

    /// <summary>
    /// A unit was released or rejected: its reason goes; the file's copy goes too once no unit of it is held. A
    /// rejected file's copy moves to <c>rejected/</c> (where the finisher also puts the original with its error report);
    /// a released one's is deleted, the original being archived.
    /// </summary>
    public async Task ResolveAsync(
        string labId, string contentHash, string blobName, int unitIndex, bool anyHeldLeft, bool anyRejected, CancellationToken cancellationToken)
    {
        await store.DeleteAsync(HeldReportOf(labId, contentHash, blobName, unitIndex), cancellationToken);
        if (anyHeldLeft) return;
        var copy = CopyOf(labId, contentHash, blobName);
        if (anyRejected)
        {
            await using (var probe = await store.OpenReadAsync(copy, cancellationToken))
            {
                if (probe is null) return;
            }

            await store.CopyAsync(copy, LabFileOriginals.Rejected(labId, contentHash, blobName), cancellationToken);
        }

        await store.DeleteAsync(copy, cancellationToken);
    }
}
