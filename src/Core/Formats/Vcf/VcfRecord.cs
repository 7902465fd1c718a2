using System.Buffers.Text;

namespace PrecisionMed.Core.Formats.Vcf;

/// <summary>
/// One data line, as views into the reader's buffer: valid until the next read. Nothing is copied or
/// decoded until asked; INFO and the sample columns are searched only for the keys a caller wants.
/// </summary>
public readonly ref struct VcfRecord
{
    public const int FixedColumnCount = 8;
    private const int FormatColumn = 8;

    private readonly ReadOnlySpan<byte> _line;

    /// <summary>Start of each column in <see cref="_line"/>, then <c>line length + 1</c>.</summary>
    private readonly ReadOnlySpan<int> _starts;

    internal VcfRecord(ReadOnlySpan<byte> line, ReadOnlySpan<int> starts, long lineNumber, long position)
    {
        _line = line;
        _starts = starts;
        LineNumber = lineNumber;
        Position = position;
    }

    public long LineNumber { get; }

    /// <summary>POS, 1-based (0 and N+1 are telomeric breakends).</summary>
    public long Position { get; }

    public ReadOnlySpan<byte> Line => _line;
    public int ColumnCount => _starts.Length - 1;
    public ReadOnlySpan<byte> Chrom => Column(0);
    public ReadOnlySpan<byte> Id => Column(2);
    public ReadOnlySpan<byte> Ref => Column(3);
    public ReadOnlySpan<byte> Alt => Column(4);
    public ReadOnlySpan<byte> Qual => Column(5);
    public ReadOnlySpan<byte> Filter => Column(6);
    public ReadOnlySpan<byte> Info => Column(7);
    public ReadOnlySpan<byte> Format => ColumnCount > FormatColumn ? Column(FormatColumn) : default;

    /// <summary>Sample columns present on this line (a line may have fewer than the header: the rest are missing).</summary>
    public int SampleCount => Math.Max(0, ColumnCount - FormatColumn - 1);

    public ReadOnlySpan<byte> Column(int index) => _line[_starts[index]..(_starts[index + 1] - 1)];

    /// <summary>1-based byte column where column <paramref name="index"/> starts, for diagnostics.</summary>
    public int ColumnStart(int index) => _starts[Math.Min(index, _starts.Length - 1)] + 1;

    /// <summary>1-based byte column where sample <paramref name="sample"/>'s column starts, for diagnostics.</summary>
    public int SampleColumnStart(int sample) => ColumnStart(FormatColumn + 1 + sample);

    /// <summary>The sample column, or empty when the line stops before it.</summary>
    public ReadOnlySpan<byte> Sample(int sample) => sample < SampleCount ? Column(FormatColumn + 1 + sample) : default;

    /// <summary>FILTER is PASS or missing ('.').</summary>
    public bool IsPassOrMissingFilter
    {
        get
        {
            var filter = Filter;
            return filter.SequenceEqual("PASS"u8) || filter.SequenceEqual("."u8) || filter.IsEmpty;
        }
    }

    /// <summary>The number of ALT alleles ('.' has none).</summary>
    public int AltCount
    {
        get
        {
            var alt = Alt;
            return alt.IsEmpty || alt.SequenceEqual("."u8) ? 0 : alt.Count((byte)',') + 1;
        }
    }

    /// <summary>ALT allele <paramref name="index"/> (0-based among the ALTs), or empty.</summary>
    public ReadOnlySpan<byte> AltAllele(int index) => Nth(Alt, (byte)',', index);

    /// <summary>Finds an INFO key: a flag gives an empty value; false when absent.</summary>
    public bool TryGetInfo(ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        var info = Info;
        // Most keys asked for (END, a diplotype key) are on few records: one vectorised search rules a key out
        // before the entries are walked one by one.
        if (!key.IsEmpty && info.IndexOf(key) < 0)
        {
            value = default;
            return false;
        }

        while (!info.IsEmpty)
        {
            var semicolon = info.IndexOf((byte)';');
            var entry = semicolon < 0 ? info : info[..semicolon];
            if (entry.StartsWith(key) && (entry.Length == key.Length || entry[key.Length] == (byte)'='))
            {
                value = entry.Length == key.Length ? default : entry[(key.Length + 1)..];
                return true;
            }

            if (semicolon < 0) break;
            info = info[(semicolon + 1)..];
        }

        value = default;
        return false;
    }

    /// <summary>An INFO integer (the first of a list), or null when absent or not a number.</summary>
    public long? InfoInteger(ReadOnlySpan<byte> key) =>
        TryGetInfo(key, out var value) && Utf8Parser.TryParse(Nth(value, (byte)',', 0), out long number, out var used) && used == Nth(value, (byte)',', 0).Length
            ? number
            : null;

    /// <summary>Index of a FORMAT key on this line, or -1.</summary>
    public int FormatIndex(ReadOnlySpan<byte> key)
    {
        var format = Format;
        var index = 0;
        while (true)
        {
            var colon = format.IndexOf((byte)':');
            var entry = colon < 0 ? format : format[..colon];
            if (entry.SequenceEqual(key)) return index;
            if (colon < 0) return -1;
            format = format[(colon + 1)..];
            index++;
        }
    }

    /// <summary>
    /// A sample's value for the FORMAT key at <paramref name="formatIndex"/>: empty when the line stops before
    /// the sample or when trailing fields were dropped (both mean missing).
    /// </summary>
    public ReadOnlySpan<byte> SampleValue(int sample, int formatIndex) =>
        formatIndex < 0 ? default : Nth(Sample(sample), (byte)':', formatIndex);

    /// <summary>The <paramref name="index"/>-th item of a separated list, or empty.</summary>
    public static ReadOnlySpan<byte> Nth(ReadOnlySpan<byte> list, byte separator, int index)
    {
        for (var i = 0; i < index; i++)
        {
            var next = list.IndexOf(separator);
            if (next < 0) return default;
            list = list[(next + 1)..];
        }

        var end = list.IndexOf(separator);
        return end < 0 ? list : list[..end];
    }
}
