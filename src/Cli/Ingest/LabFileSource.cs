namespace PrecisionMed.Cli.Ingest;

/// <summary>
/// A local lab file, read from disk once when it is small enough to hold (every pass of intake and every unit's mapping
/// then reads those bytes); a larger one (a whole-genome VCF) is streamed from disk on each pass, so memory stays flat.
/// </summary>
internal sealed class LabFileSource
{
    /// <summary>Files up to this size are held in memory: HL7 v2 batches, FHIR bundles, panel VCFs.</summary>
    public const long MaxHeldBytes = 32L * 1024 * 1024;

    private readonly string _path;

    private LabFileSource(string path, byte[]? bytes)
    {
        _path = path;
        Bytes = bytes;
    }

    /// <summary>The file's bytes when held; null when it is streamed from disk.</summary>
    public byte[]? Bytes { get; }

    public static async Task<LabFileSource> OpenAsync(string path, CancellationToken cancellationToken) =>
        new(path, new FileInfo(path).Length <= MaxHeldBytes ? await File.ReadAllBytesAsync(path, cancellationToken) : null);

    public Task<Stream> Open(CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(Bytes is { } bytes ? new MemoryStream(bytes, writable: false) : File.OpenRead(_path));
}
