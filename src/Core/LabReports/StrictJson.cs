using System.Text.Json;
using System.Text.Json.Nodes;

namespace PrecisionMed.Core.LabReports;

/// <summary>
/// A JSON object a caller sent (an HTTP request body, a token's header or claims), parsed so that nothing in it fails
/// later. <see cref="JsonNode"/> reads lazily: a repeated property name would surface as an <see cref="ArgumentException"/>,
/// and text that cannot be decoded (invalid UTF-8, an unpaired surrogate escape) as an
/// <see cref="InvalidOperationException"/>, from whichever code first touched it, long after the parse; a caller's mistake
/// answered as the app's own failure. Here both are found at once and refused like any other malformed document. A UTF-8
/// byte order mark is skipped, as JSON readers may.
/// </summary>
public static class StrictJson
{
    /// <summary>How deep a request may nest (System.Text.Json's default).</summary>
    public const int MaxDepth = 64;

    private const string NotJson = "is not JSON";
    private const string NotObject = "is not a JSON object";
    private const string RepeatedName = "repeats a property name";
    private const string InvalidText = "holds text that is not valid UTF-8 (or an unpaired surrogate escape)";

    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false, MaxDepth = MaxDepth };

    /// <summary>
    /// The document's root object, every name and string in it decodable and no name repeated; else null, and
    /// <paramref name="problem"/> says why in words for the caller (<c>is not JSON</c>, <c>repeats a property name</c>, ...),
    /// never quoting the document.
    /// </summary>
    public static JsonObject? ParseObject(ReadOnlySpan<byte> utf8Json, out string? problem)
    {
        if (utf8Json.StartsWith("\uFEFF"u8)) utf8Json = utf8Json[3..];
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(utf8Json, documentOptions: Strict);
        }
        catch (JsonException)
        {
            problem = ParsesWithRepeatedNames(utf8Json) ? RepeatedName : NotJson;
            return null;
        }
        catch (InvalidOperationException)
        {
            // Checking for repeated names decodes them: a name with an unpaired surrogate escape cannot be.
            problem = InvalidText;
            return null;
        }

        if (root is not JsonObject value)
        {
            problem = NotObject;
            return null;
        }

        problem = Decodes(value) ? null : InvalidText;
        return problem is null ? value : null;
    }

    /// <summary>Whether the document is JSON once repeated names are allowed (so the strict parse failed on one). Error path only.</summary>
    private static bool ParsesWithRepeatedNames(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            using var _ = JsonDocument.Parse(utf8Json.ToArray(), new JsonDocumentOptions { MaxDepth = MaxDepth });
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Touches every name and string so that none fails later; false when one cannot be decoded.</summary>
    private static bool Decodes(JsonNode? node)
    {
        try
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (_, child) in obj)
                    {
                        if (!Decodes(child)) return false;
                    }

                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        if (!Decodes(item)) return false;
                    }

                    break;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    _ = value.GetValue<string>();
                    break;
            }

            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
