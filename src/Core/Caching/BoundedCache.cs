using System.Collections.Concurrent;

namespace PrecisionMed.Core.Caching;

/// <summary>
/// Values worked out from a key and kept for the next time, for keys drawn again and again from a small set (a lab's
/// codes, the knowledge store's citation URLs). Thread-safe and bounded: once full, a key not in it is worked out each
/// time (a safety net against keys without end, such as free text; not an LRU). Keyed by characters, so a caller can look
/// up a key composed in a stack buffer without making a string. Values must be immutable: they are shared.
/// </summary>
public sealed class BoundedCache<TValue>(int maxEntries)
{
    /// <summary>The longest key a caller should compose on the stack; longer ones are worked out uncached.</summary>
    public const int MaxStackKeyChars = 256;

    private readonly ConcurrentDictionary<string, TValue> _values = new(StringComparer.Ordinal);
    private int _count; // ConcurrentDictionary.Count takes every one of its locks

    /// <summary>The value kept for <paramref name="key"/>, or <paramref name="create"/>'s (kept while there is room).</summary>
    public TValue GetOrAdd<TState>(ReadOnlySpan<char> key, TState state, Func<TState, TValue> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        var lookup = _values.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(key, out var kept)) return kept;

        var value = create(state);
        if (Volatile.Read(ref _count) < maxEntries && lookup.TryAdd(key, value)) Interlocked.Increment(ref _count);
        return value;
    }
}
