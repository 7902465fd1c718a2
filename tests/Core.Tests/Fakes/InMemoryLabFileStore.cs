using PrecisionMed.Core.Pipeline;

namespace PrecisionMed.Core.Tests.Fakes;

/// <summary>Lab file storage in a dictionary keyed by <c>{area}/{path}</c>.</summary>
internal sealed class InMemoryLabFileStore : ILabFileStore
{
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _contentTypes = new(StringComparer.Ordinal);

    /// <summary>Every stored file as <c>{area}/{path}</c>, sorted.</summary>
    public IReadOnlyList<string> Locations => [.. _files.Keys.Order(StringComparer.Ordinal)];

    public void Put(LabFileLocation location, byte[] content) => _files[location.ToString()] = [.. content];

    public bool Exists(LabFileLocation location) => _files.ContainsKey(location.ToString());

    public byte[]? Get(LabFileLocation location) => _files.TryGetValue(location.ToString(), out var content) ? content : null;

    public string? ContentTypeOf(LabFileLocation location) => _contentTypes.GetValueOrDefault(location.ToString());

    public Task<Stream?> OpenReadAsync(LabFileLocation location, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Stream? stream = _files.TryGetValue(location.ToString(), out var content) ? new MemoryStream(content, writable: false) : null;
        return Task.FromResult(stream);
    }

    /// <summary>Honours the port's contract: a gone source with an existing target is a copy already done.</summary>
    public Task CopyAsync(LabFileLocation from, LabFileLocation to, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_files.TryGetValue(from.ToString(), out var content))
        {
            _files[to.ToString()] = [.. content];
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
        _files[location.ToString()] = content.ToArray();
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
        _contentTypes.Remove(location.ToString());
        return Task.CompletedTask;
    }
}
