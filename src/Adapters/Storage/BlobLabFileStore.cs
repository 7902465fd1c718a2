using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using PrecisionMed.Core.Pipeline;

namespace PrecisionMed.Adapters.Storage;

/// <summary>Lab files in Blob Storage: one container per area (<c>incoming</c>, <c>archive</c>, <c>rejected</c>, <c>review</c>).</summary>
internal sealed class BlobLabFileStore(BlobServiceClient service, LabStorageOptions options) : ILabFileStore
{
    private readonly ConcurrentDictionary<string, CreateOnce> _containers = new(StringComparer.Ordinal);

    public async Task<Stream?> OpenReadAsync(LabFileLocation location, CancellationToken cancellationToken)
    {
        try
        {
            return await Blob(location).OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public async Task<string?> FindVersionAsync(LabFileLocation location, CancellationToken cancellationToken)
    {
        try
        {
            return (await Blob(location).GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ETag.ToString();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>One GET with a Range and an If-Match header: only the bytes asked for, and only of that version.</summary>
    public async Task<Stream?> OpenReadAsync(LabFileLocation location, string version, long offset, long? length, CancellationToken cancellationToken)
    {
        try
        {
            var download = await Blob(location).DownloadStreamingAsync(
                new BlobDownloadOptions
                {
                    Range = offset == 0 && length is null ? default : new HttpRange(offset, length),
                    Conditions = new BlobRequestConditions { IfMatch = new ETag(version) },
                },
                cancellationToken);
            return download.Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            // HTTP lets a server answer If-Match on a missing blob with 412 too (Azurite does): gone is not changed.
            if (!await Blob(location).ExistsAsync(cancellationToken)) return null;
            throw new LabFileChangedException(location.Area);
        }
    }

    public async Task CopyAsync(LabFileLocation from, LabFileLocation to, CancellationToken cancellationToken)
    {
        var source = Blob(from);
        var target = Blob(to);
        await EnsureContainerAsync(to.Area, cancellationToken);

        BlobProperties sourceProperties;
        try
        {
            sourceProperties = (await source.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            if (await target.ExistsAsync(cancellationToken)) return; // an earlier attempt copied and deleted it
            throw new FileNotFoundException($"Cannot copy {from.Area}/(blob of file): the source no longer exists.", ex);
        }

        // A streamed copy through the app rather than a server-side copy: it needs no SAS or shared key
        // (both are off) and reads the exact version whose properties were just taken.
        try
        {
            var download = await source.DownloadStreamingAsync(
                new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = sourceProperties.ETag } }, cancellationToken);
            await using var content = download.Value.Content;
            await target.UploadAsync(content, new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = sourceProperties.ContentType },
                Metadata = sourceProperties.Metadata,
            }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 400 or 404 or 409 or 412)
        {
            // Two finishers raced (two units of a file completing at once): the other one copied it, and may
            // already have deleted the source. When the copy is there whole, there is nothing more to do.
            if (await HasLengthAsync(target, sourceProperties.ContentLength, cancellationToken)) return;
            throw;
        }

        var copied = (await target.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
        if (copied.ContentLength != sourceProperties.ContentLength)
        {
            throw new IOException(
                $"Copy to {to.Area} is incomplete: {copied.ContentLength} of {sourceProperties.ContentLength} bytes; the original is kept.");
        }
    }

    private static async Task<bool> HasLengthAsync(BlobClient blob, long length, CancellationToken cancellationToken)
    {
        try
        {
            return (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ContentLength == length;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    public async Task WriteAsync(LabFileLocation location, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(location.Area, cancellationToken);
        await Blob(location).UploadAsync(
            BinaryData.FromBytes(content),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } },
            cancellationToken);
    }

    public Task DeleteAsync(LabFileLocation location, CancellationToken cancellationToken) =>
        Blob(location).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);

    public async Task<IReadOnlyList<LabFileLocation>> ListAsync(string area, string prefix, CancellationToken cancellationToken)
    {
        var container = service.GetBlobContainerClient(area);
        var locations = new List<LabFileLocation>();
        try
        {
            await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken))
                locations.Add(new LabFileLocation(area, blob.Name));
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No container yet: nothing was ever put in this area.
        }

        return locations;
    }

    private BlobClient Blob(LabFileLocation location) =>
        service.GetBlobContainerClient(location.Area).GetBlobClient(location.Path);

    private Task EnsureContainerAsync(string area, CancellationToken cancellationToken)
    {
        if (!options.CreateIfMissing) return Task.CompletedTask;
        var container = _containers.GetOrAdd(area, name => new CreateOnce(() => service.GetBlobContainerClient(name).CreateIfNotExistsAsync()));
        return container.WaitAsync(cancellationToken);
    }
}
