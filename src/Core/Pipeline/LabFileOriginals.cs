using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Pipeline;

/// <summary>
/// Where a lab file's original is kept once it leaves <c>incoming/</c>: under its content hash,
/// <c>{area}/{labId}/{hash}/{name}</c>, so a later file of the same name (labs reuse <c>results.vcf</c>) never overwrites
/// an earlier one, and the place is known before the file gets there (a report's DocumentReference and Provenance name
/// it while the file is still in <c>incoming/</c>, through <see cref="KeptOriginals"/>). Files archived before this layout are at <c>archive/{labId}/{name}</c>,
/// which the readers still try after the content's own place (<see cref="LegacyArchived"/>).
/// </summary>
public static class LabFileOriginals
{
    /// <summary>A completed file's original: <c>archive/{labId}/{hash}/{name}</c>.</summary>
    public static LabFileLocation Archived(string labId, string contentHash, string blobName) =>
        new(LabFileAreas.Archive, PathOf(labId, contentHash, blobName));

    /// <summary>A rejected file's original: <c>rejected/{labId}/{hash}/{name}</c>, its error report beside it.</summary>
    public static LabFileLocation Rejected(string labId, string contentHash, string blobName) =>
        new(LabFileAreas.Rejected, PathOf(labId, contentHash, blobName));

    /// <summary>The copy of a file with a held report: <c>review/{labId}/{hash}/{name}</c>.</summary>
    public static LabFileLocation InReview(string labId, string contentHash, string blobName) =>
        new(LabFileAreas.Review, PathOf(labId, contentHash, blobName));

    /// <summary>The error report of one unit, beside where a rejected original goes: <c>rejected/{labId}/{hash}/{name}.unit-{n}.error.json</c>.</summary>
    public static LabFileLocation UnitErrorReport(string labId, string contentHash, string blobName, int unitIndex) =>
        new(LabFileAreas.Rejected, $"{PathOf(labId, contentHash, blobName)}.unit-{unitIndex + 1}.error.json");

    /// <summary>Where files were archived before the content hash was part of the path; a later file of the same name overwrote them.</summary>
    public static LabFileLocation LegacyArchived(string labId, string blobName) => new(LabFileAreas.Archive, $"{labId}/{blobName}");

    private static string PathOf(string labId, string contentHash, string blobName) => KeptOriginals.PathOf(labId, contentHash, blobName);
}
