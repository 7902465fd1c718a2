using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Vcf;

/// <summary>
/// Hands out the lines of a (decompressed) stream as byte ranges of one reusable buffer: LF or CR+LF
/// separated, the last line with or without its separator. The buffer grows only for a line longer than
/// it (very long INFO), up to <see cref="MaxLineBytes"/>, so memory stays flat whatever the file's size.
/// </summary>
internal sealed class VcfLineSource(Stream stream, int maxLineBytes)
{
    // Below the large object heap's 85,000 bytes: a 256 KiB start put every file opened (each unit opens its file
    // again) on the LOH, and the gen 2 collections that followed were a third of the pipeline fuzz's VCF time. Longer
    // lines grow the buffer by doubling.
    private const int InitialBufferBytes = 64 * 1024;

    private byte[] _buffer = new byte[Math.Clamp(maxLineBytes, 1, InitialBufferBytes)];
    private int _start;
    private int _end;
    private bool _endOfStream;

    public int MaxLineBytes { get; } = maxLineBytes;

    /// <summary>1-based number of the line last handed out.</summary>
    public long LineNumber { get; private set; }

    public byte[] Buffer => _buffer;

    /// <summary>Bytes consumed from the stream so far (the decompressed size, for throughput figures).</summary>
    public long BytesRead { get; private set; }

    /// <summary>The next line, without its separator; false at the end of the stream.</summary>
    public bool TryReadLine(out int offset, out int length)
    {
        while (true)
        {
            if (TryTakeLine(out offset, out length)) return true;
            if (_endOfStream) return TakeLastLine(out offset, out length);
            MakeRoom();
            var read = stream.Read(_buffer, _end, _buffer.Length - _end);
            Filled(read);
        }
    }

    /// <summary>The next line; the range is read from <see cref="Buffer"/> after the call completes.</summary>
    public async ValueTask<(bool Found, int Offset, int Length)> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryTakeLine(out var offset, out var length)) return (true, offset, length);
            if (_endOfStream) return TakeLastLine(out offset, out length) ? (true, offset, length) : (false, 0, 0);
            MakeRoom();
            var read = await stream.ReadAsync(_buffer.AsMemory(_end, _buffer.Length - _end), cancellationToken);
            Filled(read);
        }
    }

    /// <summary>The next line if it is already in the buffer, without reading the stream.</summary>
    public bool TryReadBufferedLine(out int offset, out int length) => TryTakeLine(out offset, out length);

    private bool TryTakeLine(out int offset, out int length)
    {
        var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
        if (newline < 0)
        {
            offset = length = 0;
            return false;
        }

        offset = _start;
        length = newline;
        _start += newline + 1;
        if (length > 0 && _buffer[offset + length - 1] == (byte)'\r') length--;
        LineNumber++;
        return true;
    }

    private bool TakeLastLine(out int offset, out int length)
    {
        offset = _start;
        length = _end - _start;
        _start = _end;
        if (length == 0) return false;
        if (_buffer[offset + length - 1] == (byte)'\r') length--;
        LineNumber++;
        return true;
    }

    private void MakeRoom()
    {
        var pending = _end - _start;
        if (_start > 0 && (pending == 0 || _start >= _buffer.Length / 2 || _end == _buffer.Length))
        {
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
            _start = 0;
            _end = pending;
        }

        if (_end < _buffer.Length) return;
        if (_buffer.Length >= MaxLineBytes)
        {
            throw new LabFileRejectedException(new SourcePosition { Line = LineNumber + 1 }, LimitsOptions.Breach(
                "the line is longer than a VCF line may be", nameof(LimitsOptions.MaxLineBytes), LimitsOptions.Bytes(MaxLineBytes)));
        }

        Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, MaxLineBytes));
    }

    private void Filled(int read)
    {
        if (read == 0) _endOfStream = true;
        _end += read;
        BytesRead += read;
    }
}
