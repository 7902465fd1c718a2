using System.Buffers.Text;
using System.Globalization;
using System.Text.Unicode;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Vcf;

/// <summary>
/// A streaming pull reader over a (decompressed) VCF: the header first, then one record per
/// <see cref="Read"/> as views into a reused buffer, so memory does not grow with the file. A malformed data
/// line is skipped with a positioned diagnostic and counted; an unusable header throws
/// <see cref="LabFileRejectedException"/>. Structural checks only: allele content is the caller's to judge.
/// </summary>
public sealed class VcfReader
{
    /// <summary>Default longest line (VEP CSQ lines run to tens of KB; whole-genome multi-sample lines to a few MB).</summary>
    public const int DefaultMaxLineBytes = 64 * 1024 * 1024;

    /// <summary>How many diagnostics are kept; <see cref="MalformedCount"/> stays exact.</summary>
    public const int MaxDiagnostics = 1000;

    private readonly VcfLineSource _lines;
    private readonly List<LabFileProblem> _diagnostics = [];
    private int[] _starts = new int[16];
    private int _columnCount;
    private int _lineOffset;
    private int _lineLength;
    private long _position;

    private VcfReader(VcfLineSource lines, VcfHeader header)
    {
        _lines = lines;
        Header = header;
        var columns = VcfRecord.FixedColumnCount + 1 + header.Samples.Count + 2;
        if (columns > _starts.Length) _starts = new int[columns];
    }

    public VcfHeader Header { get; }

    /// <summary>Well-formed records read so far.</summary>
    public long RecordCount { get; private set; }

    /// <summary>Data lines skipped as malformed so far.</summary>
    public long MalformedCount { get; private set; }

    /// <summary>The first <see cref="MaxDiagnostics"/> malformed lines: line, column and reason, no values.</summary>
    public IReadOnlyList<LabFileProblem> Diagnostics => _diagnostics;

    /// <summary>Decompressed bytes consumed so far.</summary>
    public long BytesRead => _lines.BytesRead;

    /// <summary>The record last read; valid until the next read.</summary>
    public VcfRecord Current =>
        new(_lines.Buffer.AsSpan(_lineOffset, _lineLength), _starts.AsSpan(0, _columnCount + 1), _lines.LineNumber, _position);

    /// <summary>Reads the header synchronously.</summary>
    public static VcfReader Open(Stream content, int maxLineBytes = DefaultMaxLineBytes)
    {
        ArgumentNullException.ThrowIfNull(content);
        var lines = new VcfLineSource(content, maxLineBytes);
        return new VcfReader(lines, VcfHeaderParser.Read(lines));
    }

    public static async Task<VcfReader> OpenAsync(Stream content, CancellationToken cancellationToken, int maxLineBytes = DefaultMaxLineBytes)
    {
        ArgumentNullException.ThrowIfNull(content);
        var lines = new VcfLineSource(content, maxLineBytes);
        return new VcfReader(lines, await VcfHeaderParser.ReadAsync(lines, cancellationToken));
    }

    /// <summary>Moves to the next well-formed record; false at the end of the file.</summary>
    public bool Read()
    {
        while (_lines.TryReadLine(out var offset, out var length))
        {
            if (Accept(offset, length)) return true;
        }

        return false;
    }

    public ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        // Lines already in the buffer are taken without the async machinery: only one read in thousands waits.
        while (_lines.TryReadBufferedLine(out var offset, out var length))
        {
            if (Accept(offset, length)) return ValueTask.FromResult(true);
        }

        return ReadFromStreamAsync(cancellationToken);
    }

    private async ValueTask<bool> ReadFromStreamAsync(CancellationToken cancellationToken)
    {
        while (await _lines.ReadLineAsync(cancellationToken) is (true, var offset, var length))
        {
            if (Accept(offset, length)) return true;
        }

        return false;
    }

    private bool Accept(int offset, int length)
    {
        var line = _lines.Buffer.AsSpan(offset, length);
        if (line.IsEmpty || line.TrimEnd(" \t"u8).IsEmpty) return false; // blank lines (a trailing one is common) carry nothing
        _lineOffset = offset;
        _lineLength = length;
        if (Tokenize(line) is { } problem)
        {
            Malformed(problem.Column, problem.Reason);
            return false;
        }

        RecordCount++;
        return true;
    }

    /// <summary>Splits the line into columns and checks its structure; returns the problem, if any.</summary>
    private (int Column, string Reason)? Tokenize(ReadOnlySpan<byte> line)
    {
        if (line[0] == (byte)'#') return (1, "a header line after the #CHROM line");
        var count = 0;
        var position = 0;
        _starts[0] = 0;
        while (true)
        {
            var tab = line[position..].IndexOf((byte)'\t');
            if (tab < 0) break;
            position += tab + 1;
            if (++count + 1 >= _starts.Length) Array.Resize(ref _starts, _starts.Length * 2);
            _starts[count] = position;
        }

        _starts[++count] = line.Length + 1;
        _columnCount = count;

        if (count < VcfRecord.FixedColumnCount)
        {
            return (line.Length + 1, string.Create(CultureInfo.InvariantCulture,
                $"{count} tab-separated column(s); a VCF record has at least {VcfRecord.FixedColumnCount}"));
        }

        if (_starts[1] == 1) return (1, "CHROM is empty");
        var pos = line[_starts[1]..(_starts[2] - 1)];
        if (!Utf8Parser.TryParse(pos, out long value, out var used) || used != pos.Length || value < 0 || !char.IsAsciiDigit((char)pos[0]))
            return (_starts[1] + 1, "POS is not a whole number");
        _position = value;

        var expected = Header.HasFormatColumn ? VcfRecord.FixedColumnCount + 1 + Header.Samples.Count : VcfRecord.FixedColumnCount;
        if (count > expected)
        {
            return (_starts[expected] + 1, string.Create(CultureInfo.InvariantCulture,
                $"{count} columns but the #CHROM line names {expected}"));
        }

        if (!Utf8.IsValid(line)) return (1, "the line is not valid UTF-8 (VCF 4.3 and later are UTF-8)");
        return null;
    }

    private void Malformed(int column, string reason)
    {
        MalformedCount++;
        if (_diagnostics.Count < MaxDiagnostics)
            _diagnostics.Add(new LabFileProblem(new SourcePosition { Line = _lines.LineNumber, Column = column }, reason));
    }
}
