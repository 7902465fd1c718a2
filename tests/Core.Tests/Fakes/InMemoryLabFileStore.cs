using PrecisionMed.Core.Pipeline;

namespace PrecisionMed.Core.Tests.Fakes;

/// <summary>Lab file storage in a dictionary keyed by <c>{area}/{path}</c>.</summary>
internal sealed class InMemoryLabFileStore : ILabFileStore
{
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _contentTypes = new(StringComparer.Ordinal);

    // Each write of a file gets a new version, as a blob gets a new ETag.
    private readonly Dictionary<string, string> _versions = new(StringComparer.Ordinal);
    private int _lastVersion;

    /// <summary>Read requests as Blob Storage would count them: each open (one GET) and each version look-up (one HEAD).</summary>
    public int ReadRequests => _readRequests;

    /// <summary>Bytes handed out by the streams opened, as read by their callers.</summary>
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    private int _readRequests;
    private long _bytesRead;

    public void ResetReadCounts()
    {
        _readRequests = 0;
        _bytesRead = 0;
    }

    private LimitedReadStream Counted(byte[] content, int start, int count)
    {
        Interlocked.Increment(ref _readRequests);
        var counted = 0L;
        return new LimitedReadStream(new MemoryStream(content, start, count, writable: false), read =>
        {
            Interlocked.Add(ref _bytesRead, read - counted);
            counted = read;
        });
    }

    /// <summary>Every stored file as <c>{area}/{path}</c>, sorted.</summary>
    public IReadOnlyList<string> Locations => [.. _files.Keys.Order(StringComparer.Ordinal)];

    public void Put(LabFileLocation location, byte[] content) => Store(location.ToString(), [.. content]);

    private void Store(string key, byte[] content)
    {
        _files[key] = content;
        _versions[key] = $"\"v{++_lastVersion}\"";
    }

    public bool Exists(LabFileLocation location) => _files.ContainsKey(location.ToString());

    public byte[]? Get(LabFileLocation location) => _files.TryGetValue(location.ToString(), out var content) ? content : null;

    public string? ContentTypeOf(LabFileLocation location) => _contentTypes.GetValueOrDefault(location.ToString());

    public Task<Stream?> OpenReadAsync(LabFileLocation location, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Stream? stream = _files.TryGetValue(location.ToString(), out var content) ? Counted(content, 0, content.Length) : null;
        return Task.FromResult(stream);
    }

    public Task<string?> FindVersionAsync(LabFileLocation location, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _readRequests);
        return Task.FromResult(_versions.GetValueOrDefault(location.ToString()));
    }

    public Task<Stream?> OpenReadAsync(LabFileLocation location, string version, long offset, long? length, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_files.TryGetValue(location.ToString(), out var content)) return Task.FromResult<Stream?>(null);
        if (_versions[location.ToString()] != version) throw new LabFileChangedException(location.Area);
        var start = (int)Math.Min(offset, content.Length);
        var count = (int)Math.Min(length ?? content.Length, content.Length - start);
        return Task.FromResult<Stream?>(Counted(content, start, count));
    }

    /// <summary>Honours the port's contract: a gone source with an existing target is a copy already done.</summary>
    public Task CopyAsync(LabFileLocation from, LabFileLocation to, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_files.TryGetValue(from.ToString(), out var content))
        {
            Store(to.ToString(), [.. content]);
            if (_contentTypes.TryGetValue(from.ToString(), out var contentType)) _contentTypes[to.ToString()] = contentType;
        }
        else if (!_files.ContainsKey(to.ToString()))
        {
            throw new FileNotFoundException($"Neither {from} nor {to} exists.");
        }

        return Task.CompletedTask;
    }

    public Task WriteAsync(LabFileLocation location, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Store(location.ToString(), content.ToArray());
        _contentTypes[location.ToString()] = contentType;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<LabFileLocation>> ListAsync(string area, string prefix, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<LabFileLocation> found = [.. _files.Keys.Where(k => k.StartsWith($"{area}/{prefix}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).Select(k => new LabFileLocation(area, k[(area.Length + 1)..]))];
        return Task.FromResult(found);
    }

    public Task DeleteAsync(LabFileLocation location, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _files.Remove(location.ToString());
        _versions.Remove(location.ToString());
        _contentTypes.Remove(location.ToString());
        return Task.CompletedTask;
    }
}
