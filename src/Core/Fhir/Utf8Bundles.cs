using System.Buffers;
using System.Text.Json.Nodes;

namespace PrecisionMed.Core.Fhir;

/// <summary>
/// Transaction bundles already written as UTF-8 JSON, one after another in one buffer rented from the shared pool
/// (a builder that writes straight to JSON keeps a report's cost near the size of its output: issue 3).
/// <see cref="Dispose"/> gives the buffer back; not disposing is safe, the buffer is then only collected.
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

    public ReadOnlySpan<byte> this[int index]
    {
        get
        {
            ObjectDisposedException.ThrowIf(_buffer is null, this);
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return _buffer.AsSpan(_offsets[index], _offsets[index + 1] - _offsets[index]);
        }
    }

    /// <summary>The bundles as nodes (each parsed from a copy: they outlive the buffer).</summary>
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
