using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace PrecisionMed.Core.Knowledge.Import;

/// <summary>
/// The guideline packages' recommendation HTML (<c>&lt;p&gt;</c>, lists, the odd table) as plain text for a FHIR string:
/// paragraphs and list items on lines of their own, tags dropped, entities decoded, runs of spaces collapsed.
/// </summary>
internal static partial class GuidelineText
{
    public static string Plain(string? html)
    {
        if (string.IsNullOrWhiteSpace(html)) return string.Empty;
        var text = BlockTag().Replace(html, "\n");
        text = ListItem().Replace(text, "\n- ");
        text = WebUtility.HtmlDecode(AnyTag().Replace(text, " "));
        var lines = new StringBuilder(text.Length);
        foreach (var raw in text.Split('\n'))
        {
            var line = Spaces().Replace(raw, " ").Trim();
            if (line.Length == 0 || line == "-") continue;
            if (lines.Length > 0) lines.Append('\n');
            lines.Append(line);
        }

        return lines.ToString();
    }

    [GeneratedRegex(@"</?(p|br|div|ol|ul|tr|table|h[1-6])\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockTag();

    [GeneratedRegex(@"<li\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ListItem();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex AnyTag();

    [GeneratedRegex(@"[ \t\r\u00a0]+")]
    private static partial Regex Spaces();
}
