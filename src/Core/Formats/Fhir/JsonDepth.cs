using System.Text.Json;

namespace PrecisionMed.Core.Formats.Fhir;

/// <summary>
/// Tells a too-deep document from a broken one: System.Text.Json reports both as a <see cref="JsonException"/>,
/// and only the first is a limit the lab can be told about by name. Runs only after a parse failed.
/// </summary>
internal static class JsonDepth
{
    /// <summary>Where the first object or array opened deeper than <paramref name="maxDepth"/> is; null if none is before any syntax error.</summary>
    public static SourcePosition? FindTooDeep(ReadOnlySpan<byte> utf8Json, int maxDepth)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = maxDepth + 1, CommentHandling = JsonCommentHandling.Skip });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= maxDepth)
                    return PositionOf(utf8Json, reader.TokenStartIndex);
            }
        }
        catch (JsonException)
        {
            // A syntax error came first: that is the problem to report.
        }

        return null;
    }

    private static SourcePosition PositionOf(ReadOnlySpan<byte> utf8Json, long offset)
    {
        var before = utf8Json[..(int)offset];
        var lastNewline = before.LastIndexOf((byte)'\n');
        return new SourcePosition { Line = before.Count((byte)'\n') + 1, Column = offset - lastNewline };
    }
}
