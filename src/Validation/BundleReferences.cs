using System.Text.Json;

namespace PrecisionMed.Validation;

/// <summary>
/// Resolves every Reference.reference string of a bundle's entries against the bundle itself:
/// "#id" against the entry's contained resources, "urn:uuid:"/"urn:oid:" and absolute URLs against the
/// entries' fullUrls, and relative "Type/id[/_history/v]" against the entries' resource type and id.
/// </summary>
internal static class BundleReferences
{
    private const string HistorySegment = "/_history/";

    public static void Check(IReadOnlyList<BundleEntry> entries, List<BundleReference> unresolved, List<BundleReference> external)
    {
        var fullUrls = entries.Select(e => e.FullUrl).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var typeAndIds = entries
            .Where(e => e.ResourceType is not null && e.Id is not null)
            .Select(e => $"{e.ResourceType}/{e.Id}")
            .ToHashSet(StringComparer.Ordinal);

        foreach (var entry in entries)
        {
            var containedIds = ContainedIds(entry.Resource);
            foreach (var (path, reference) in References(entry.Resource, entry.ResourceType ?? "(resource)"))
            {
                var outcome = Resolve(reference, fullUrls, typeAndIds, containedIds);
                if (outcome is ReferenceOutcome.External)
                {
                    external.Add(new BundleReference(entry.Index, entry.Key, path, reference, outcome));
                }
                else if (outcome is not ReferenceOutcome.Resolved)
                {
                    unresolved.Add(new BundleReference(entry.Index, entry.Key, path, reference, outcome));
                }
            }
        }
    }

    private static ReferenceOutcome Resolve(string reference, HashSet<string> fullUrls, HashSet<string> typeAndIds, HashSet<string> containedIds)
    {
        if (reference.StartsWith('#'))
        {
            // "#" alone points at the container resource itself (from inside a contained resource).
            return reference.Length == 1 || containedIds.Contains(reference[1..]) ? ReferenceOutcome.Resolved : ReferenceOutcome.NoContained;
        }

        if (reference.StartsWith("urn:uuid:", StringComparison.Ordinal) || reference.StartsWith("urn:oid:", StringComparison.Ordinal))
        {
            return fullUrls.Contains(reference) ? ReferenceOutcome.Resolved : ReferenceOutcome.NoFullUrl;
        }

        if (fullUrls.Contains(reference))
        {
            return ReferenceOutcome.Resolved;
        }

        if (Uri.TryCreate(reference, UriKind.Absolute, out _) || reference.Contains('?', StringComparison.Ordinal))
        {
            // Another server's resource, or a conditional reference that a transaction resolves: callers decide.
            return ReferenceOutcome.External;
        }

        var history = reference.IndexOf(HistorySegment, StringComparison.Ordinal);
        var typeAndId = history >= 0 ? reference[..history] : reference;
        var slash = typeAndId.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == typeAndId.Length - 1 || typeAndId.IndexOf('/', slash + 1) >= 0 || !char.IsUpper(typeAndId[0]))
        {
            return ReferenceOutcome.Malformed;
        }

        return typeAndIds.Contains(typeAndId) ? ReferenceOutcome.Resolved : ReferenceOutcome.NoEntry;
    }

    private static HashSet<string> ContainedIds(JsonElement resource)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        if (resource.ValueKind == JsonValueKind.Object
            && resource.TryGetProperty("contained", out var contained)
            && contained.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in contained.EnumerateArray())
            {
                if (BundleEntry.StringProperty(item, "id") is { } id)
                {
                    ids.Add(id);
                }
            }
        }

        return ids;
    }

    // Every string-valued "reference" property: in FHIR R4 JSON these are exactly Reference.reference
    // (other elements named "reference" hold objects and are walked into).
    private static IEnumerable<(string Path, string Reference)> References(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var childPath = $"{path}.{property.Name}";
                    if (property.Name == "reference" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        yield return (childPath, property.Value.GetString()!);
                        continue;
                    }

                    foreach (var found in References(property.Value, childPath))
                    {
                        yield return found;
                    }
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var found in References(item, $"{path}[{index}]"))
                    {
                        yield return found;
                    }

                    index++;
                }

                break;
            default:
                break;
        }
    }
}
