using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;

namespace PrecisionMed.Validation.Conformance;

/// <summary>
/// The conformance resources of one folder of JSON files, one resource a file (an unpacked FHIR package, or
/// <see cref="CoreSpecificationFolder"/>), found by canonical URL as Firely's DirectorySource finds them: the part before
/// <c>|</c> equals the resource's <c>url</c>, and a version after it must match (<see cref="Canonical.MatchesVersion"/>).
/// </summary>
/// <remarks>
/// Built for speed where the DirectorySource it replaces was slow: the index is made by reading only the top-level
/// <c>resourceType</c>, <c>id</c>, <c>url</c> and <c>version</c> of each file (a streaming read, no object model), and a
/// resource is parsed from its own file when first asked for. DirectorySource built a summary of every file through
/// the SDK's element model, and read a resource of the core specification by streaming its 20 MB XML bundle up to it.
/// Two files with one canonical URL (and a matching version) are a conflict, as for DirectorySource: the lookup
/// throws rather than picking one.
/// </remarks>
public sealed class ConformanceFolderSource : IAsyncResourceResolver
{
    private readonly FrozenDictionary<string, IndexedFile[]> _byUrl;
    private readonly FrozenDictionary<string, IndexedFile> _byTypeAndId;
    private readonly ConcurrentDictionary<string, Lazy<Resource?>> _loaded = new(StringComparer.Ordinal);
    private readonly FhirJsonDeserializer _deserializer = new(new DeserializerSettings());

    /// <summary>Indexes the files of <paramref name="folder"/> (not its subfolders) whose names match one of <paramref name="masks"/>.</summary>
    public ConformanceFolderSource(string folder, IReadOnlyList<string> masks)
    {
        ArgumentNullException.ThrowIfNull(masks);
        Folder = folder;
        var paths = masks
            .SelectMany(mask => Directory.EnumerateFiles(folder, mask, SearchOption.TopDirectoryOnly))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();
        var files = new IndexedFile?[paths.Length];
        Parallel.For(0, paths.Length, i => files[i] = IndexedFile.Read(paths[i]));
        var indexed = files.OfType<IndexedFile>().ToArray();
        Count = indexed.Length;
        _byUrl = indexed
            .Where(f => f.Url is not null)
            .GroupBy(f => f.Url!, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _byTypeAndId = indexed
            .Where(f => f.Id is not null)
            .GroupBy(f => $"{f.ResourceType}/{f.Id}", StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    /// <summary>The folder read.</summary>
    public string Folder { get; }

    /// <summary>How many resources the folder holds.</summary>
    public int Count { get; }

    public Task<Resource?> ResolveByCanonicalUriAsync(string uri) => System.Threading.Tasks.Task.FromResult(FindByCanonical(uri));

    public async Task<ResolverResult> TryResolveByCanonicalUriAsync(string uri) =>
        await ResolveByCanonicalUriAsync(uri) is { } resource ? resource : ResolverException.NotFound();

    /// <summary>A resource by <c>Type/id</c> at the end of <paramref name="uri"/>, else by canonical URL.</summary>
    public Task<Resource?> ResolveByUriAsync(string uri) => System.Threading.Tasks.Task.FromResult(FindByUri(uri));

    public async Task<ResolverResult> TryResolveByUriAsync(string uri) =>
        await ResolveByUriAsync(uri) is { } resource ? resource : ResolverException.NotFound();

    private Resource? FindByCanonical(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var parts = uri.Split('|');
        if (parts.Length > 2) throw new ArgumentException("A canonical URL has one '|' at the most.", nameof(uri));
        if (!_byUrl.TryGetValue(parts[0], out var candidates)) return null;
        var version = parts.Length == 2 ? parts[1] : string.Empty;
        var matches = version.Length == 0 ? candidates : candidates.Where(f => Canonical.MatchesVersion(f.Version, version)).ToArray();
        return matches.Length switch
        {
            0 => null,
            1 => Load(matches[0]),
            _ => throw new InvalidOperationException(
                $"{Folder} holds {matches.Length} resources with the canonical URL {uri}: {string.Join(", ", matches.Select(f => System.IO.Path.GetFileName(f.Path)))}."),
        };
    }

    private Resource? FindByUri(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var segments = uri.Split('/');
        return segments.Length >= 2 && _byTypeAndId.TryGetValue($"{segments[^2]}/{segments[^1]}", out var file)
            ? Load(file)
            : FindByCanonical(uri);
    }

    // One parse per file kept (the resolver above this one, CachedResolver, keeps it too); a read that failed (the file
    // gone for a moment) is not kept, so the next lookup reads it again.
    private Resource? Load(IndexedFile file) =>
        _loaded.GetOrAdd(file.Path, path => new Lazy<Resource?>(() => Parse(path), LazyThreadSafetyMode.PublicationOnly)).Value;

    private Resource? Parse(string path)
    {
        // Leniently, as DirectorySource reads: a published package's small deviations (e.g. white space around a
        // value) must not hide the resource; what the parser reads is what the file says.
        _deserializer.TryDeserializeResource(File.ReadAllText(path), out var resource, out _);
        resource?.SetOrigin(path);
        return resource;
    }

    /// <summary>A file's top-level identity: enough to find it, nothing parsed beyond.</summary>
    private sealed record IndexedFile(string Path, string ResourceType, string? Id, string? Url, string? Version)
    {
        /// <summary>The file's identity, or null when it is not a JSON object with a <c>resourceType</c>.</summary>
        public static IndexedFile? Read(string path)
        {
            string? type = null, id = null, url = null, version = null;
            try
            {
                var reader = new Utf8JsonReader(File.ReadAllBytes(path), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString();
                    reader.Read();
                    var value = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    switch (name)
                    {
                        case "resourceType": type = value; break;
                        case "id": id = value; break;
                        case "url": url = value; break;
                        case "version": version = value; break;
                        default: reader.Skip(); break;
                    }
                }
            }
            catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
            {
                // Not JSON, or not readable: not a resource of this folder, as DirectorySource skips what it cannot read.
                return null;
            }

            return type is null ? null : new IndexedFile(path, type, id, url, version);
        }
    }
}
