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

    private LabFileSource(string path, byte[]? bytes, DateTime lastWriteUtc)
    {
        _path = path;
        Bytes = bytes;
        LastWriteUtc = lastWriteUtc;
    }

    /// <summary>The file's bytes when held; null when it is streamed from disk.</summary>
    public byte[]? Bytes { get; }

    /// <summary>When the file was last written (UTC), as it was opened.</summary>
    public DateTime LastWriteUtc { get; }

    /// <summary>
    /// The file's size, time and (when held) bytes from one open handle. Read synchronously: ingest runs one file per core,
    /// and the asynchronous path hands each small read to another thread and back.
    /// </summary>
    public static LabFileSource Read(string path)
    {
        using var handle = File.OpenHandle(path);
        var length = RandomAccess.GetLength(handle);
        var lastWriteUtc = File.GetLastWriteTimeUtc(handle);
        if (length > MaxHeldBytes) return new LabFileSource(path, null, lastWriteUtc);

        var bytes = new byte[length];
        var read = 0;
        while (read < bytes.Length)
        {
            var n = RandomAccess.Read(handle, bytes.AsSpan(read), read);
            if (n == 0) break;
            read += n;
        }

        // A file shortened while it was read is taken as it was read, as File.ReadAllBytes would.
        if (read < bytes.Length) Array.Resize(ref bytes, read);
        return new LabFileSource(path, bytes, lastWriteUtc);
    }

    public Task<Stream> Open(CancellationToken cancellationToken) =>
        // Its buffer visible, so that intake looks at the held bytes instead of copying them on each pass.
        Task.FromResult<Stream>(Bytes is { } bytes ? new MemoryStream(bytes, 0, bytes.Length, writable: false, publiclyVisible: true) : File.OpenRead(_path));
}
