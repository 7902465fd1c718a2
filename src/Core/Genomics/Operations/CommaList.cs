using System.Text;

namespace PrecisionMed.Core.Genomics.Operations;

/// <summary>
/// A query parameter's comma-separated values (FHIR search's "OR" list): split at each comma not escaped as <c>\,</c>,
/// the escape undone and the white space around each value trimmed (a value without a comma is returned as it came).
/// <c>a,,b</c> and a trailing comma give an empty item.
/// </summary>
internal static class CommaList
{
    public static IReadOnlyList<string> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains(',', StringComparison.Ordinal)) return [text];
        var items = new List<string>();
        var item = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] == ',')
            {
                item.Append(',');
                i++;
            }
            else if (text[i] == ',')
            {
                items.Add(item.ToString().Trim());
                item.Clear();
            }
            else
            {
                item.Append(text[i]);
            }
        }

        items.Add(item.ToString().Trim());
        return items;
    }
}
