using PrecisionMed.Core.Pipeline;

namespace PrecisionMed.Bench.Worker;

/// <summary>Lab file storage in one dictionary, each file with the version it was put with, so a restored original reads as the one that arrived.</summary>
internal sealed class BenchLabFileStore : ILabFileStore
{
    private readonly Dictionary<string, (byte[] Content, string Version)> _files = new(StringComparer.Ordinal);
    private int _lastVersion;

    public void Put(LabFileLocation location, byte[] content, string version) => _files[location.ToString()] = (content, version);

    public string? VersionOf(LabFileLocation location) => _files.TryGetValue(location.ToString(), out var file) ? file.Version : null;

    public Task<Stream?> OpenReadAsync(LabFileLocation location, CancellationToken cancellationToken) =>
        Task.FromResult<Stream?>(_files.TryGetValue(location.ToString(), out var file) ? new MemoryStream(file.Content, writable: false) : null);

    public Task<string?> FindVersionAsync(LabFileLocation location, CancellationToken cancellationToken) => Task.FromResult(VersionOf(location));

    public Task<Stream?> OpenReadAsync(LabFileLocation location, string version, long offset, long? length, CancellationToken cancellationToken)
    {
        if (!_files.TryGetValue(location.ToString(), out var file)) return Task.FromResult<Stream?>(null);
        if (file.Version != version) throw new LabFileChangedException(location.Area);
        var start = (int)Math.Min(offset, file.Content.Length);
        return Task.FromResult<Stream?>(new MemoryStream(file.Content, start, (int)Math.Min(length ?? file.Content.Length, file.Content.Length - start), writable: false));
    }

    public Task CopyAsync(LabFileLocation from, LabFileLocation to, CancellationToken cancellationToken)
    {
        if (_files.TryGetValue(from.ToString(), out var file)) _files[to.ToString()] = (file.Content, NextVersion());
        return Task.CompletedTask;
    }

    public Task WriteAsync(LabFileLocation location, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        _files[location.ToString()] = (content.ToArray(), NextVersion());
        return Task.CompletedTask;
    }

    public Task DeleteAsync(LabFileLocation location, CancellationToken cancellationToken)
    {
        _files.Remove(location.ToString());
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<LabFileLocation>> ListAsync(string area, string prefix, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LabFileLocation>>(
            [.. _files.Keys.Where(k => k.StartsWith($"{area}/{prefix}", StringComparison.Ordinal)).Select(k => new LabFileLocation(area, k[(area.Length + 1)..]))]);

    private string NextVersion() => $"\"b{++_lastVersion}\"";
}
