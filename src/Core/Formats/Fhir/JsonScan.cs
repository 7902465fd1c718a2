using System.Text.Json;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Fhir;

/// <summary>
/// Second looks at a document System.Text.Json failed to parse, to tell the lab what is wrong and where: a document
/// nested too deep and a broken one both surface as a <see cref="JsonException"/>, and text that is not valid UTF-16
/// once unescaped (an unpaired surrogate in a property name) as an <see cref="InvalidOperationException"/> without a
/// position. Runs only after a parse failed, so well-formed files pay nothing.
/// </summary>
internal static class JsonScan
{
    /// <summary>Where the first object or array opened deeper than <paramref name="maxDepth"/> is; null if none is before any syntax error.</summary>
    public static SourcePosition? FindTooDeep(ReadOnlySpan<byte> utf8Json, int maxDepth)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = maxDepth + 1 });
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

    /// <summary>Where the first property name or string that cannot be decoded as text is; null if none is.</summary>
    public static SourcePosition? FindUndecodableText(ReadOnlySpan<byte> utf8Json, int maxDepth)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = maxDepth });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.PropertyName or JsonTokenType.String) || !reader.ValueIsEscaped) continue;
                try
                {
                    _ = reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    return PositionOf(utf8Json, reader.TokenStartIndex);
                }
            }
        }
        catch (JsonException)
        {
            // Not reached for a document that parsed this far; nothing more to say.
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
