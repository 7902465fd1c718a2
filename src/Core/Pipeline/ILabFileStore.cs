using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Pipeline;

/// <summary>The lab data storage areas (blob containers in Azure).</summary>
public static class LabFileAreas
{
    public const string Incoming = KeptOriginals.IncomingArea;
    public const string Archive = KeptOriginals.ArchiveArea;
    public const string Rejected = "rejected";

    /// <summary>Copies of files with a report held for review (patient details disagree), beside each held report's reason.</summary>
    public const string Review = "review";

    /// <summary>Documents too large to carry inline in FHIR (embedded PDFs), referenced from their DocumentReference.</summary>
    public const string Documents = "documents";
}

/// <summary>A file in one of the <see cref="LabFileAreas"/>: <c>{area}/{path}</c>.</summary>
public sealed record LabFileLocation(string Area, string Path)
{
    public override string ToString() => $"{Area}/{Path}";
}

/// <summary>Lab file storage (Azure Blob Storage).</summary>
public interface ILabFileStore
{
    /// <summary>Opens a file for reading, or returns null when it does not exist.</summary>
    Task<Stream?> OpenReadAsync(LabFileLocation location, CancellationToken cancellationToken);

    /// <summary>The file's current version (its ETag), or null when it does not exist: a metadata request, no content.</summary>
    Task<string?> FindVersionAsync(LabFileLocation location, CancellationToken cancellationToken);

    /// <summary>
    /// Opens the file, or only <paramref name="length"/> bytes of it from <paramref name="offset"/>, provided it is still
    /// <paramref name="version"/>; null when it does not exist. Throws <see cref="LabFileChangedException"/> when it was
    /// overwritten since that version was taken (on Blob Storage, an If-Match condition on the read itself).
    /// </summary>
    Task<Stream?> OpenReadAsync(LabFileLocation location, string version, long offset, long? length, CancellationToken cancellationToken);

    /// <summary>
    /// Copies a file and returns once the copy is complete and verified. When the source is gone but
    /// the target exists (an earlier attempt got this far), it returns as done.
    /// </summary>
    Task CopyAsync(LabFileLocation from, LabFileLocation to, CancellationToken cancellationToken);

    Task WriteAsync(LabFileLocation location, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken);

    /// <summary>Deletes a file if it exists.</summary>
    Task DeleteAsync(LabFileLocation location, CancellationToken cancellationToken);

    /// <summary>The files of an area whose path starts with <paramref name="prefix"/>, in path order.</summary>
    Task<IReadOnlyList<LabFileLocation>> ListAsync(string area, string prefix, CancellationToken cancellationToken);
}
