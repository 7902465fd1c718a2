using System.Text.Json.Nodes;

namespace PrecisionMed.Core.LabReports;

/// <summary>
/// Resolves the references a lab wrote inside its bundle (<c>Type/id</c>, absolute URLs,
/// <c>urn:uuid:</c> full URLs, version-specific <c>.../_history/n</c>) to the bundle's entries.
/// References to anything outside the bundle resolve to nothing and are left alone by callers.
/// </summary>
public sealed class BundleReferenceIndex
{
    private readonly Dictionary<string, int> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _byAbsoluteUrl = new(StringComparer.Ordinal);

    public BundleReferenceIndex(LabBundle bundle)
    {
        foreach (var entry in bundle.Entries)
        {
            if (entry.FullUrl is { Length: > 0 } fullUrl)
            {
                _byKey.TryAdd(fullUrl, entry.Index);
                if (TrailingTypeAndId(fullUrl) is { } relative) _byKey.TryAdd(relative, entry.Index);

                _byAbsoluteUrl.TryAdd(fullUrl, entry.Index);
                if (RestfulBase(fullUrl) is { } serverBase && entry.RelativeReference is { } typeAndId)
                    _byAbsoluteUrl.TryAdd(serverBase + typeAndId, entry.Index);
            }

            if (entry.RelativeReference is { } reference) _byKey.TryAdd(reference, entry.Index);
        }
    }

    /// <summary>The index of the entry a reference points at, or null for a reference outside the bundle.</summary>
    public int? Resolve(string reference)
    {
        if (reference.Length == 0 || reference[0] == '#') return null;
        if (_byKey.TryGetValue(reference, out var index)) return index;

        var history = reference.IndexOf("/_history/", StringComparison.Ordinal);
        if (history > 0 && _byKey.TryGetValue(reference[..history], out index)) return index;

        var relative = TrailingTypeAndId(history > 0 ? reference[..history] : reference);
        return relative is not null && _byKey.TryGetValue(relative, out index) ? index : null;
    }

    /// <summary>
    /// The index of the entry a reference points at when the bundle holds it, or null. Unlike <see cref="Resolve"/>, an
    /// absolute reference (<c>http(s)://</c>, <c>urn:</c>) is the bundle's only as an entry's fullUrl, or as the fullUrl's base and the
    /// entry's <c>Type/id</c> when that fullUrl is a RESTful URL (either with a <c>/_history/n</c>): the same <c>Type/id</c> on another server
    /// is whatever that server holds there. A relative <c>Type/id</c> resolves as in <see cref="Resolve"/>.
    /// </summary>
    public int? ResolveInBundle(string reference)
    {
        if (!IsAbsolute(reference)) return Resolve(reference);
        if (_byAbsoluteUrl.TryGetValue(reference, out var index)) return index;
        var history = reference.IndexOf("/_history/", StringComparison.Ordinal);
        return history > 0 && _byAbsoluteUrl.TryGetValue(reference[..history], out index) ? index : null;
    }

    /// <summary>Every <c>reference</c> string in a JSON tree, with a setter to rewrite it.</summary>
    public static IEnumerable<(JsonObject Owner, string Reference)> FindReferences(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["reference"] is JsonValue value && value.TryGetValue<string>(out var reference))
                    yield return (obj, reference);
                foreach (var (_, child) in obj)
                {
                    foreach (var found in FindReferences(child)) yield return found;
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    foreach (var found in FindReferences(child)) yield return found;
                }

                break;
        }
    }

    private static bool IsAbsolute(string reference) =>
        reference.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        || reference.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || reference.StartsWith("urn:", StringComparison.OrdinalIgnoreCase)
        || reference.Contains("://", StringComparison.Ordinal);

    /// <summary>The server base of a RESTful absolute URL <c>base/Type/id</c> (with the final slash), else null.</summary>
    private static string? RestfulBase(string url)
    {
        var history = url.IndexOf("/_history/", StringComparison.Ordinal);
        var trimmed = history > 0 ? url[..history] : url;
        return TrailingTypeAndId(trimmed) is { } typeAndId ? trimmed.TrimEnd('/')[..^typeAndId.Length] : null;
    }

    private static string? TrailingTypeAndId(string url)
    {
        if (!url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            && !url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) return null;
        var trimmed = url.TrimEnd('/');
        var last = trimmed.LastIndexOf('/');
        if (last <= 0) return null;
        var previous = trimmed.LastIndexOf('/', last - 1);
        if (previous < 0) return null;
        var type = trimmed[(previous + 1)..last];
        return type.Length > 0 && char.IsAsciiLetterUpper(type[0]) ? trimmed[(previous + 1)..] : null;
    }
}
