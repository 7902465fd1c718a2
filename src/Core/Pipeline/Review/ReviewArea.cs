using PrecisionMed.Core.Pipeline.Arrival;

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
    /// a released one's is deleted, the original being archived. A file held before copies were kept under their hash
    /// has its reason and copy at <c>review/{labId}/{name}</c>: those go too, when they are this file's.
    /// </summary>
    public async Task ResolveAsync(
        string fileId, string labId, string contentHash, string blobName, int unitIndex, bool anyHeldLeft, bool anyRejected, CancellationToken cancellationToken)
    {
        await store.DeleteAsync(HeldReportOf(labId, contentHash, blobName, unitIndex), cancellationToken);
        await DeleteLegacyHeldReportAsync(fileId, labId, blobName, unitIndex, cancellationToken);
        if (anyHeldLeft) return;
        await ResolveCopyAsync(CopyOf(labId, contentHash, blobName), labId, contentHash, blobName, anyRejected, cancellationToken);

        var legacy = new LabFileLocation(LabFileAreas.Review, $"{labId}/{blobName}");
        if (await store.FindVersionAsync(legacy, cancellationToken) is null) return;
        if (await LabFileIntake.HashAsync(async ct => await store.OpenReadAsync(legacy, ct) ?? Stream.Null, cancellationToken) == contentHash)
            await ResolveCopyAsync(legacy, labId, contentHash, blobName, anyRejected, cancellationToken);
    }

    private async Task ResolveCopyAsync(
        LabFileLocation copy, string labId, string contentHash, string blobName, bool anyRejected, CancellationToken cancellationToken)
    {
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

    private async Task DeleteLegacyHeldReportAsync(string fileId, string labId, string blobName, int unitIndex, CancellationToken cancellationToken)
    {
        var legacy = new LabFileLocation(LabFileAreas.Review, $"{labId}/{blobName}.unit-{unitIndex + 1}{HeldSuffix}");
        using var buffer = new MemoryStream();
        await using (var content = await store.OpenReadAsync(legacy, cancellationToken))
        {
            if (content is null) return;
            await content.CopyToAsync(buffer, cancellationToken);
        }

        if (HeldReport.Parse(buffer.ToArray())?.FileId == fileId) await store.DeleteAsync(legacy, cancellationToken);
    }
}
