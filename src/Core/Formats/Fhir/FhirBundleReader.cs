using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Fhir;

/// <summary>
/// Reads a lab's FHIR R4 Bundle (JSON). Structural problems become <see cref="LabFileRejectedException"/>
/// with line/column (syntax) or a FHIRPath-like location (shape); FHIR conformance of the resources
/// themselves is the validator's business, not the reader's.
/// </summary>
public static class FhirBundleReader
{
    private static readonly HashSet<string> AcceptedBundleTypes =
        new(StringComparer.Ordinal) { "collection", "transaction", "batch", "document", "searchset" };

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private const string InvalidText = "the file holds text that is not valid UTF-8 (or an unpaired surrogate escape)";

    /// <summary>How deep a bundle may nest by default (<see cref="LimitsOptions.MaxJsonDepth"/>).</summary>
    public const int DefaultMaxDepth = 64;

    public static Task<LabBundle> ReadAsync(Stream content, CancellationToken cancellationToken) =>
        ReadAsync(content, new LimitsOptions(), cancellationToken);

    /// <summary>Reads the whole stream (at most <see cref="LimitsOptions.MaxDocumentBytes"/>) and parses it.</summary>
    public static async Task<LabBundle> ReadAsync(Stream content, LimitsOptions limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var bytes = await LabFileContent.ReadAllAsync(content, limits.MaxDocumentBytes, "FHIR JSON", cancellationToken);
        return Read(bytes, limits.MaxJsonDepth);
    }

    /// <summary>Parses a bundle from its UTF-8 bytes; nesting deeper than <paramref name="maxDepth"/> rejects it.</summary>
    public static LabBundle Read(ReadOnlySpan<byte> utf8Json, int maxDepth = DefaultMaxDepth)
    {
        if (utf8Json.StartsWith(Utf8Bom)) utf8Json = utf8Json[Utf8Bom.Length..];
        var options = new JsonDocumentOptions
        {
            MaxDepth = maxDepth,
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,

            // FHIR JSON forbids repeated names; rejecting them while parsing makes them a rejection (no
            // position: System.Text.Json gives none, the reason names the property), where JsonObject
            // would later throw ArgumentException on first access.
            AllowDuplicateProperties = false,
        };

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(utf8Json, documentOptions: options);
        }
        catch (JsonException ex)
        {
            if (JsonScan.FindTooDeep(utf8Json, maxDepth) is { } tooDeep)
            {
                throw new LabFileRejectedException(tooDeep, LimitsOptions.Breach(
                    "the JSON nests deeper than a FHIR bundle may", nameof(LimitsOptions.MaxJsonDepth),
                    maxDepth.ToString(CultureInfo.InvariantCulture) + " levels"));
            }

            // Utf8JsonReader positions are zero-based; people count from one.
            throw new LabFileRejectedException(
                new SourcePosition { Line = ex.LineNumber + 1, Column = ex.BytePositionInLine + 1 },
                "the file is not valid JSON: " + JsonErrors.Reason(ex));
        }
        catch (InvalidOperationException)
        {
            // Checking for repeated names unescapes them; an unpaired surrogate escape cannot be (found by the pipeline fuzz).
            throw new LabFileRejectedException(JsonScan.FindUndecodableText(utf8Json, maxDepth) ?? SourcePosition.None, InvalidText);
        }

        return Read(root);
    }

    public static LabBundle Read(JsonNode? root)
    {
        if (root is not JsonObject bundle)
            throw Reject("$", "expected a JSON object (a FHIR Bundle)");
        if (FindInvalidText(bundle) is { } invalidAt)
            throw Reject("Bundle" + invalidAt, InvalidText);

        var resourceType = GetString(bundle, "resourceType");
        if (resourceType != "Bundle")
        {
            throw Reject("resourceType", resourceType is null
                ? "the JSON has no resourceType: it is not a FHIR resource"
                : $"expected resourceType 'Bundle' but found '{resourceType}': labs send results as a Bundle");
        }

        var type = GetString(bundle, "type");
        if (type is null || !AcceptedBundleTypes.Contains(type))
        {
            throw Reject("Bundle.type", type is null
                ? "Bundle.type is missing"
                : $"Bundle.type '{type}' is not accepted (expected one of: {string.Join(", ", AcceptedBundleTypes.Order(StringComparer.Ordinal))})");
        }

        var identifier = bundle["identifier"] is JsonObject id ? GetString(id, "value") : null;
        var entries = new List<LabBundleEntry>();
        if (bundle["entry"] is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++) entries.Add(ReadEntry(array[i], i));
        }
        else if (bundle["entry"] is not null)
        {
            throw Reject("Bundle.entry", "Bundle.entry must be an array");
        }

        if (entries.Count == 0) throw Reject("Bundle.entry", "the Bundle has no entries: there is nothing to report");

        return new LabBundle(type, identifier, entries);
    }

    private static LabBundleEntry ReadEntry(JsonNode? node, int index)
    {
        var path = $"Bundle.entry[{index}]";
        if (node is not JsonObject entry) throw Reject(path, "an entry must be a JSON object");
        if (entry["resource"] is not JsonObject resource)
        {
            throw Reject(path + ".resource", entry["request"] is JsonObject
                ? "an entry without a resource (e.g. a DELETE request) is not accepted from a lab"
                : "the entry has no resource");
        }

        var resourceType = GetString(resource, "resourceType");
        if (string.IsNullOrEmpty(resourceType) || !char.IsAsciiLetterUpper(resourceType[0]))
            throw Reject(path + ".resource.resourceType", "the resource has no valid resourceType");
        if (resourceType == "Bundle")
            throw Reject(path + ".resource", "nested Bundles are not accepted");

        var id = resource["id"] is JsonNode idNode ? idNode.GetValueKind() == JsonValueKind.String ? idNode.GetValue<string>() : null : null;
        return new LabBundleEntry(index, GetString(entry, "fullUrl"), resourceType, id, resource);
    }

    /// <summary>
    /// JsonNode transcodes names and strings lazily, so bad UTF-8 would surface much later as an
    /// InvalidOperationException from whoever touches it first. Touch every one now; return where.
    /// </summary>
    private static string? FindInvalidText(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                try
                {
                    _ = obj.Count; // materialises the property names
                }
                catch (InvalidOperationException)
                {
                    return string.Empty;
                }

                foreach (var (name, child) in obj)
                {
                    if (FindInvalidText(child) is { } below) return "." + name + below;
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (FindInvalidText(array[i]) is { } below) return $"[{i}]{below}";
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                try
                {
                    _ = value.GetValue<string>();
                }
                catch (InvalidOperationException)
                {
                    return string.Empty;
                }

                break;
        }

        return null;
    }

    private static string? GetString(JsonObject obj, string name) =>
        obj[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static LabFileRejectedException Reject(string path, string reason) =>
        new(new SourcePosition { Path = path }, reason);
}
