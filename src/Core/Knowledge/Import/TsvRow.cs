namespace PrecisionMed.Core.Knowledge.Import;

/// <summary>
/// The fields of one tab-separated line as offsets into it: a field becomes a string only when a reader asks for it
/// (ClinVar rows have 43 fields, of which a document needs about 20).
/// </summary>
internal sealed class TsvRow
{
    private int[] _starts = new int[64];
    private int[] _lengths = new int[64];

    public string Line { get; private set; } = string.Empty;

    public int Count { get; private set; }

    public long LineNumber { get; private set; }

    /// <param name="separator">Tab for TSV; RxNorm's RRF files separate fields with '|'.</param>
    public void Reset(string line, long lineNumber, char separator = '\t')
    {
        Line = line;
        LineNumber = lineNumber;
        Count = 0;
        var span = line.AsSpan();
        var start = 0;
        while (true)
        {
            if (Count == _starts.Length)
            {
                Array.Resize(ref _starts, Count * 2);
                Array.Resize(ref _lengths, Count * 2);
            }

            var tab = span[start..].IndexOf(separator);
            _starts[Count] = start;
            _lengths[Count] = tab < 0 ? span.Length - start : tab;
            Count++;
            if (tab < 0) break;
            start += tab + 1;
        }
    }

    public ReadOnlySpan<char> Span(int index) => index >= 0 && index < Count ? Line.AsSpan(_starts[index], _lengths[index]) : [];

    /// <summary>The field, or null when it is empty or one of the sources' missing-value markers (-, na).</summary>
    public string? Value(int index)
    {
        var span = Span(index).Trim();
        if (span.IsEmpty || span is "-" or "na" or "NA") return null;
        return span.ToString();
    }

    /// <summary>A multi-valued field (HGNC quotes them: <c>"A|B"</c>), split on any of <paramref name="separators"/>.</summary>
    public IReadOnlyList<string> Values(int index, params char[] separators)
    {
        var value = Value(index);
        if (value is null) return [];
        return value.Trim('"').Split(separators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Column indexes by header name (case-insensitive); a leading '#' is ignored.</summary>
    public static Dictionary<string, int> Header(string line)
    {
        var names = line.TrimStart('#').Split('\t');
        var header = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Length; i++) header.TryAdd(names[i].Trim(), i);
        return header;
    }
}
