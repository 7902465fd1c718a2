using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PrecisionMed.Core.Fhir;

/// <summary>
/// Transaction bundles written as UTF-8 JSON, one after another in one buffer rented from the shared pool (a builder
/// that writes straight to JSON keeps a report's cost near the size of its output, and the writers send these bytes as
/// they are). <see cref="Dispose"/> gives the buffer back; not disposing is safe, the buffer is then only collected.
/// </summary>
internal sealed class Utf8Bundles : IDisposable
{
    private readonly int[] _offsets;
    private byte[]? _buffer;

    /// <param name="buffer">Rented from <see cref="ArrayPool{T}.Shared"/>; this instance owns it.</param>
    /// <param name="offsets">Bundle <c>i</c> is <c>buffer[offsets[i]..offsets[i + 1]]</c>.</param>
    public Utf8Bundles(byte[] buffer, int[] offsets)
    {
        _buffer = buffer;
        _offsets = offsets;
    }

    public int Count => _offsets.Length - 1;

    public ReadOnlySpan<byte> this[int index] => Memory(index).Span;

    public ReadOnlyMemory<byte> Memory(int index)
    {
        var buffer = Buffer;
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return buffer.AsMemory(_offsets[index], _offsets[index + 1] - _offsets[index]);
    }

    private byte[] Buffer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_buffer is null, this);
            return _buffer;
        }
    }

    /// <summary>Bundles given as nodes, written once (compact).</summary>
    public static Utf8Bundles Write(IReadOnlyList<JsonObject> bundles)
    {
        var output = new ArrayBufferWriter<byte>(16 * 1024);
        var offsets = new int[bundles.Count + 1];
        using var writer = new Utf8JsonWriter(output);
        for (var i = 0; i < bundles.Count; i++)
        {
            bundles[i].WriteTo(writer);
            writer.Flush();
            writer.Reset();
            offsets[i + 1] = output.WrittenCount;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(output.WrittenCount);
        output.WrittenSpan.CopyTo(buffer);
        return new Utf8Bundles(buffer, offsets);
    }

    /// <summary>A copy with a buffer of its own.</summary>
    public Utf8Bundles Clone()
    {
        var length = _offsets[^1];
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        Buffer.AsSpan(0, length).CopyTo(buffer);
        return new Utf8Bundles(buffer, (int[])_offsets.Clone());
    }

    /// <summary>Replaces <paramref name="length"/> bytes at <paramref name="at"/> (inside one bundle) with <paramref name="replacement"/>.</summary>
    public void Replace(int at, int length, ReadOnlySpan<byte> replacement)
    {
        var old = Buffer;
        var total = _offsets[^1];
        ArgumentOutOfRangeException.ThrowIfNegative(at);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(at + length, total);
        var buffer = ArrayPool<byte>.Shared.Rent(total - length + replacement.Length);
        old.AsSpan(0, at).CopyTo(buffer);
        replacement.CopyTo(buffer.AsSpan(at));
        old.AsSpan(at + length, total - at - length).CopyTo(buffer.AsSpan(at + replacement.Length));
        for (var i = 0; i < _offsets.Length; i++)
        {
            if (_offsets[i] > at) _offsets[i] += replacement.Length - length;
        }

        _buffer = buffer;
        ArrayPool<byte>.Shared.Return(old);
    }

    /// <summary>The bundles as nodes (each parsed from a copy: they outlive the buffer). For tests and tools, not the pipeline.</summary>
    public List<JsonObject> Parse()
    {
        var bundles = new List<JsonObject>(Count);
        for (var i = 0; i < Count; i++) bundles.Add(JsonNode.Parse(this[i])!.AsObject());
        return bundles;
    }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
