namespace PrecisionMed.Core.LabReports;

/// <summary>
/// Where a report unit came from: what its Provenance and its original's DocumentReference record. Holds no PHI, but
/// for <see cref="Manifest"/>, which only the report's build reads.
/// </summary>
/// <param name="LabId">The lab, from the blob path.</param>
/// <param name="SourceBlob">
/// The original as the lab named it: the blob it arrived as, e.g. <c>incoming/lab-a/2026/run-7.json</c>, or the local
/// file's path for <c>pmed ingest</c>.
/// </param>
/// <param name="ContentHash">Lowercase hex SHA-256 of the original file.</param>
/// <param name="FileName">The file's name under the lab's folder (never an accession: labs reuse names).</param>
/// <param name="ReceivedAt">When the file arrived; used as Provenance.recorded so re-runs write identical resources.</param>
public sealed record ReportProvenance(
    string LabId,
    string SourceBlob,
    string ContentHash,
    string FileName,
    int UnitIndex,
    int UnitCount,
    DateTimeOffset ReceivedAt,
    string PipelineVersion)
{
    /// <summary>The original's format, as intake detected it (sets the DocumentReference's content type and profile).</summary>
    public LabFileFormat Format { get; init; }

    /// <summary>Whether the original is gzip-compressed (BGZF included).</summary>
    public bool Compressed { get; init; }

    /// <summary>The provenance with its original's format, unless one is already stated (intake states it with the compression).</summary>
    public ReportProvenance OfFormat(LabFileFormat format) => Format == LabFileFormat.Unknown ? this with { Format = format } : this;

    /// <summary>
    /// Where the original is kept: for a blob that arrived in <c>incoming/</c>, the place the finisher archives it under
    /// its content hash (<see cref="KeptOriginals.ArchivedPath"/>), known before it gets there; otherwise (a local file)
    /// <see cref="SourceBlob"/> itself.
    /// </summary>
    public string OriginalBlob => ArrivedIn() is { } name ? KeptOriginals.ArchivedPath(LabId, ContentHash, name) : SourceBlob;

    /// <summary>
    /// <see cref="OriginalBlob"/> as a URL: the pipeline's storage URN (reached with an identity that may read the lab
    /// data account, never a public URL), or a <c>file:</c> URL for a local file's absolute path; null when neither.
    /// </summary>
    public string? OriginalUrl =>
        ArrivedIn() is { } name ? KeptOriginals.UrnOf(KeptOriginals.ArchivedPath(LabId, ContentHash, name))
        : Path.IsPathRooted(SourceBlob) ? new Uri(Path.GetFullPath(SourceBlob)).AbsoluteUri
        : null;

    /// <summary>The name under the lab's folder when <see cref="SourceBlob"/> is <c>incoming/{LabId}/{name}</c>, else null.</summary>
    private string? ArrivedIn()
    {
        var blob = SourceBlob.AsSpan();
        if (!blob.StartsWith(KeptOriginals.IncomingArea, StringComparison.Ordinal)) return null;
        blob = blob[KeptOriginals.IncomingArea.Length..];
        if (blob.Length < LabId.Length + 3 || blob[0] != '/' || !blob[1..].StartsWith(LabId, StringComparison.Ordinal) || blob[LabId.Length + 1] != '/') return null;
        return SourceBlob[(KeptOriginals.IncomingArea.Length + LabId.Length + 2)..];
    }

    /// <summary>
    /// For a VCF: who its sample columns are, as the lab stated beside the file (its manifest, or <c>pmed ingest --patient</c>);
    /// null when nothing was stated there. Holds patient identifiers: never logged.
    /// </summary>
    public VcfManifest? Manifest { get; init; }
}
