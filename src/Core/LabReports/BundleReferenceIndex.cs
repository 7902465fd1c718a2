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

    public BundleReferenceIndex(LabBundle bundle)
    {
        foreach (var entry in bundle.Entries)
        {
            if (entry.FullUrl is { Length: > 0 } fullUrl)
            {
                _byKey.TryAdd(fullUrl, entry.Index);
                if (TrailingTypeAndId(fullUrl) is { } relative) _byKey.TryAdd(relative, entry.Index);
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
