using System.Buffers;
using System.IO.Compression;

namespace PrecisionMed.Core.Formats.Compression;

/// <summary>
/// Decompresses BGZF (concatenated gzip members of at most 64 KiB each, every header stating its member's size in a
/// <c>BC</c> extra subfield) with the blocks inflated concurrently and handed out in file order. One
/// <see cref="GZipStream"/> inflates on one core; a VCF reader waiting on it is then idle, so the blocks are read
/// ahead and inflated on the thread pool while the caller parses. Each block is inflated as the whole gzip member it
/// is, so its CRC-32 and size are checked as a single stream would check them. A member without the subfield
/// (a plain gzip member after BGZF ones) hands the rest of the file to one sequential <see cref="GZipStream"/>.
/// </summary>
public sealed class BgzfStream : ReadOnlyStream
{
    /// <summary>Largest member BGZF allows (its size field is 16 bits) and the most one member inflates to.</summary>
    private const int MaxBlockBytes = 64 * 1024;

    private const int HeaderBytes = 18;

    private readonly Stream _compressed;
    private readonly Queue<Task<InflatedBlock>> _ahead = new();

    // The blocks' arrays come from a pool of this stream's own, as many as can be in flight (each block read ahead holds
    // its member and then its output, the reader one more): the shared pool keeps up to 32 arrays per core and thread
    // that returns them, and the inflating threads return what the reader rented, so it grew by megabytes over a file.
    private readonly ArrayPool<byte> _pool;
    private readonly int _readAhead;
    private InflatedBlock? _current;
    private int _currentOffset;
    private Stream? _sequential;
    private bool _endOfBlocks;

    /// <param name="compressed">The BGZF bytes; disposed with this stream.</param>
    /// <param name="readAhead">Blocks inflated ahead of the reader; by default two per core.</param>
    public BgzfStream(Stream compressed, int readAhead = 0)
    {
        ArgumentNullException.ThrowIfNull(compressed);
        _compressed = compressed;
        _readAhead = readAhead > 0 ? readAhead : Math.Max(2, Environment.ProcessorCount * 2);
        _pool = ArrayPool<byte>.Create(MaxBlockBytes, 2 * _readAhead + 2);
    }

    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            var taken = TakeFromCurrent(buffer);
            if (taken > 0 || buffer.IsEmpty) return taken;
            FillAhead();
            if (!_ahead.TryDequeue(out var next)) return _sequential?.Read(buffer) ?? 0;
            Next(next.GetAwaiter().GetResult());
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var taken = TakeFromCurrent(buffer.Span);
            if (taken > 0 || buffer.IsEmpty) return taken;
            await FillAheadAsync(cancellationToken);
            if (!_ahead.TryDequeue(out var next)) return _sequential is null ? 0 : await _sequential.ReadAsync(buffer, cancellationToken);
            Next(await next.WaitAsync(cancellationToken));
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // The blocks still inflating write into pooled arrays: they are returned only once their task is done.
            while (_ahead.TryDequeue(out var pending))
            {
                try
                {
                    _pool.Return(pending.GetAwaiter().GetResult().Bytes);
                }
                catch (InvalidDataException)
                {
                    // A corrupt block nobody asked for: the file is being abandoned anyway.
                }
            }

            if (_current is { } current) _pool.Return(current.Bytes);
            _current = null;
            _sequential?.Dispose();
            _compressed.Dispose();
        }

        base.Dispose(disposing);
    }

    private int TakeFromCurrent(Span<byte> buffer)
    {
        if (_current is not { } block) return 0;
        var count = Math.Min(buffer.Length, block.Length - _currentOffset);
        block.Bytes.AsSpan(_currentOffset, count).CopyTo(buffer);
        _currentOffset += count;
        return count;
    }

    private void Next(InflatedBlock block)
    {
        if (_current is { } previous) _pool.Return(previous.Bytes);
        _current = block;
        _currentOffset = 0;
    }

    /// <summary>Starts inflating the next blocks, up to the read-ahead.</summary>
    private void FillAhead()
    {
        while (!_endOfBlocks && _ahead.Count < _readAhead)
        {
            var block = _pool.Rent(MaxBlockBytes);
            var read = _compressed.ReadAtLeast(block.AsSpan(0, HeaderBytes), HeaderBytes, throwOnEndOfStream: false);
            if (Member(block, read) is not { } size) break;
            Filled(block, size, _compressed.ReadAtLeast(block.AsSpan(HeaderBytes, size - HeaderBytes), size - HeaderBytes, throwOnEndOfStream: false));
        }
    }

    /// <summary><see cref="FillAhead"/> without blocking a thread on the compressed stream (a blob download, say).</summary>
    private async ValueTask FillAheadAsync(CancellationToken cancellationToken)
    {
        while (!_endOfBlocks && _ahead.Count < _readAhead)
        {
            var block = _pool.Rent(MaxBlockBytes);
            var read = await _compressed.ReadAtLeastAsync(block.AsMemory(0, HeaderBytes), HeaderBytes, throwOnEndOfStream: false, cancellationToken);
            if (Member(block, read) is not { } size) break;
            var rest = await _compressed.ReadAtLeastAsync(block.AsMemory(HeaderBytes, size - HeaderBytes), size - HeaderBytes, throwOnEndOfStream: false, cancellationToken);
            Filled(block, size, rest);
        }
    }

    /// <summary>
    /// The size of the member whose first <paramref name="read"/> header bytes are in <paramref name="block"/>, or null
    /// at the end of the file or at a member that is not BGZF (the rest then goes to one sequential stream).
    /// </summary>
    private int? Member(byte[] block, int read)
    {
        int? size = read == HeaderBytes ? BlockSize(block.AsSpan(0, HeaderBytes)) : null;
        if (size is null)
        {
            // A truncated or foreign header: one stream inflates the rest, and reports what is wrong with it.
            if (read > 0) _sequential = new GZipStream(new PrefixedStream(block.AsSpan(0, read).ToArray(), _compressed), CompressionMode.Decompress);
            _pool.Return(block);
            _endOfBlocks = true;
        }

        return size;
    }

    private void Filled(byte[] block, int size, int rest)
    {
        if (rest < size - HeaderBytes)
        {
            _pool.Return(block);
            throw new InvalidDataException("The BGZF file ends inside a block.");
        }

        _ahead.Enqueue(Task.Run(() => Inflate(block, size)));
    }

    /// <summary>The member's total size from its BC subfield, or null when the header has none.</summary>
    private static int? BlockSize(ReadOnlySpan<byte> header)
    {
        const byte fextra = 0x04;
        if (header[0] != 0x1F || header[1] != 0x8B || header[2] != 0x08 || (header[3] & fextra) == 0) return null;
        var xlen = header[10] | (header[11] << 8);

        // bgzip writes BC as the only subfield, so it sits in the fixed 18 bytes read; other layouts go sequential.
        if (xlen != 6 || header[12] != (byte)'B' || header[13] != (byte)'C' || (header[14] | (header[15] << 8)) != 2) return null;
        var size = (header[16] | (header[17] << 8)) + 1;
        return size > HeaderBytes + 8 ? size : null;
    }

    private InflatedBlock Inflate(byte[] member, int length)
    {
        var output = _pool.Rent(MaxBlockBytes);
        try
        {
            using var gzip = new GZipStream(new MemoryStream(member, 0, length, writable: false), CompressionMode.Decompress);
            var inflated = gzip.ReadAtLeast(output.AsSpan(0, MaxBlockBytes), MaxBlockBytes, throwOnEndOfStream: false);
            // A member inflating past 64 KiB is no BGZF block (and may be a bomb): stop rather than read on.
            if (inflated == MaxBlockBytes && gzip.ReadByte() >= 0) throw new InvalidDataException("A BGZF block inflates to more than 64 KiB.");
            return new InflatedBlock(output, inflated);
        }
        catch
        {
            _pool.Return(output);
            throw;
        }
        finally
        {
            _pool.Return(member);
        }
    }

    private sealed record InflatedBlock(byte[] Bytes, int Length);
}
