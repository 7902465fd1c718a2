using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PrecisionMed.Core.Fhir;

/// <summary>
/// Transaction bundles written as UTF-8 JSON, one after another in one buffer (a builder that writes straight to JSON
/// keeps a report's cost near the size of its output, and the writers send these bytes as they are). A buffer of up to
/// a megabyte is rented from the shared pool; a larger one (a VCF report's) is allocated to its size, as the pool would
/// round it up to the next power of two. <see cref="Dispose"/> gives a rented buffer back; not disposing is safe, the
/// buffer is then only collected.
/// </summary>
internal sealed class Utf8Bundles : IDisposable
{
    private readonly int[] _offsets;
    private readonly WrittenResource[]? _resources;
    private byte[]? _buffer;

    /// <param name="buffer">From <see cref="Allocate"/>; this instance owns it.</param>
    /// <param name="offsets">Bundle <c>i</c> is <c>buffer[offsets[i]..offsets[i + 1]]</c>.</param>
    /// <param name="resources">The PUT entries' resources, when their writer recorded them.</param>
    public Utf8Bundles(byte[] buffer, int[] offsets, WrittenResource[]? resources = null)
    {
        _buffer = buffer;
        _offsets = offsets;
        _resources = resources;
    }

    public int Count => _offsets.Length - 1;

    /// <summary>The PUT entries' resources in write order, or null when the bundles were not written by the builder.</summary>
    public IReadOnlyList<WrittenResource>? Resources => _resources;

    /// <summary>One of <see cref="Resources"/> as UTF-8 JSON.</summary>
    public ReadOnlyMemory<byte> Json(WrittenResource resource) => Buffer.AsMemory(resource.Offset, resource.Length);

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

        var buffer = Allocate(output.WrittenCount);
        output.WrittenSpan.CopyTo(buffer);
        return new Utf8Bundles(buffer, offsets);
    }

    /// <summary>A copy with a buffer of its own.</summary>
    public Utf8Bundles Clone()
    {
        var length = _offsets[^1];
        var buffer = Allocate(length);
        Buffer.AsSpan(0, length).CopyTo(buffer);
        return new Utf8Bundles(buffer, (int[])_offsets.Clone(), (WrittenResource[]?)_resources?.Clone());
    }

    /// <summary>Replaces <paramref name="length"/> bytes at <paramref name="at"/> (inside one bundle) with <paramref name="replacement"/>.</summary>
    public void Replace(int at, int length, ReadOnlySpan<byte> replacement)
    {
        var old = Buffer;
        var total = _offsets[^1];
        ArgumentOutOfRangeException.ThrowIfNegative(at);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(at + length, total);
        var buffer = Allocate(total - length + replacement.Length);
        old.AsSpan(0, at).CopyTo(buffer);
        replacement.CopyTo(buffer.AsSpan(at));
        old.AsSpan(at + length, total - at - length).CopyTo(buffer.AsSpan(at + replacement.Length));
        var shift = replacement.Length - length;
        for (var i = 0; i < _offsets.Length; i++)
        {
            if (_offsets[i] > at) _offsets[i] += shift;
        }

        for (var i = 0; _resources is not null && i < _resources.Length; i++)
        {
            var resource = _resources[i];
            if (resource.Offset > at) _resources[i] = resource with { Offset = resource.Offset + shift };
            else if (resource.Offset + resource.Length > at) _resources[i] = resource with { Length = resource.Length + shift };
        }

        _buffer = buffer;
        Release(old);
    }

    /// <summary>The bundles as nodes (each parsed from a copy: they outlive the buffer). For tests and tools, not the pipeline.</summary>
    public List<JsonObject> Parse()
    {
        var bundles = new List<JsonObject>(Count);
        for (var i = 0; i < Count; i++) bundles.Add(JsonNode.Parse(this[i])!.AsObject());
        return bundles;
    }

    /// <summary>The most bytes taken from the shared pool; a larger buffer is allocated to its length.</summary>
    private const int MaxPooledBytes = 1024 * 1024;

    /// <summary>A buffer of at least <paramref name="length"/> bytes for bundles.</summary>
    public static byte[] Allocate(int length) =>
        length > MaxPooledBytes ? GC.AllocateUninitializedArray<byte>(length) : ArrayPool<byte>.Shared.Rent(length);

    // The pool's arrays are powers of two of at most MaxPooledBytes; it refuses any other.
    private static void Release(byte[] buffer)
    {
        if (buffer.Length <= MaxPooledBytes && System.Numerics.BitOperations.IsPow2(buffer.Length)) ArrayPool<byte>.Shared.Return(buffer);
    }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            Release(buffer);
        }
    }
}
