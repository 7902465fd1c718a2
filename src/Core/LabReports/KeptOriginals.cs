namespace PrecisionMed.Core.LabReports;

/// <summary>
/// Where a lab file's original is kept once its reports are written: <c>archive/{labId}/{hash}/{name}</c>, under its content
/// hash, so a later file of the same name never overwrites it, and the place is known while the file is still in
/// <c>incoming/</c> (a report's DocumentReference and Provenance name it before the file gets there). The pipeline's
/// storage layout follows these names; a report's provenance reads them without knowing the pipeline.
/// </summary>
public static class KeptOriginals
{
    /// <summary>The area lab files arrive in.</summary>
    public const string IncomingArea = "incoming";

    /// <summary>The area completed files' originals are kept in.</summary>
    public const string ArchiveArea = "archive";

    /// <summary>An original's path inside its area: <c>{labId}/{hash}/{name}</c>.</summary>
    public static string PathOf(string labId, string contentHash, string blobName) => $"{labId}/{contentHash}/{blobName}";

    /// <summary>A completed file's original as <c>archive/{labId}/{hash}/{name}</c>, in one string.</summary>
    public static string ArchivedPath(string labId, string contentHash, string blobName) => $"{ArchiveArea}/{PathOf(labId, contentHash, blobName)}";

    /// <summary>The pipeline's storage URN of a location (<c>urn:precisionmed:blob:{area}/{path}</c>, segments escaped).</summary>
    public static string UrnOf(string areaAndPath)
    {
        ArgumentNullException.ThrowIfNull(areaAndPath);
        return "urn:precisionmed:blob:" + Uri.EscapeDataString(areaAndPath).Replace("%2F", "/", StringComparison.Ordinal);
    }
}
