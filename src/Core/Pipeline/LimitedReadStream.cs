using PrecisionMed.Core.Formats;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Pipeline;

/// <summary>
/// A read-only pass-through that counts the bytes read and, after every read, lets a check reject the file
/// (by throwing <see cref="LabFileRejectedException"/>): a limit is enforced while the file streams,
/// before more of it is read, rather than after it is all in memory.
/// </summary>
internal sealed class LimitedReadStream(Stream inner, Action<long> check) : Stream, IKnownLengthStream
{
    /// <summary>What the stream read through has left, when it can tell (a file, or a held file's bytes).</summary>
    public long? RemainingBytes => inner.CanSeek ? inner.Length - inner.Position : null;

    public bool TryTakeHeld(out byte[] bytes)
    {
        if (BytesRead == 0 && inner is MemoryStream { Position: 0 } memory && memory.TryGetBuffer(out var held)
            && held.Offset == 0 && held.Array is { } array && held.Count == array.Length)
        {
            memory.Position = array.Length;
            bytes = array;
            Counted(array.Length);
            return true;
        }

        bytes = [];
        return false;
    }

    /// <summary>Bytes handed out so far.</summary>
    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Counted(inner.Read(buffer));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Counted(await inner.ReadAsync(buffer, cancellationToken));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }

    private int Counted(int read)
    {
        BytesRead += read;
        if (read > 0) check(BytesRead);
        return read;
    }
}
