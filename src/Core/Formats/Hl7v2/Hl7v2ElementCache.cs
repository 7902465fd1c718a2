using PrecisionMed.Core.Caching;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>
/// What is read from an element, kept per distinct element: a lab's messages repeat the same codes (every OBX-3 of a
/// genetic panel is one of its LOINC items, most OBX-5 answers are LOINC answers), and reading one builds its strings,
/// codings and system URIs anew. Keyed by everything a reading depends on: the element's content key (its bytes, level,
/// the message's delimiters and character set, <see cref="Hl7v2Element.TryWriteContentKey"/>), the lab and the reading's
/// own rule; so a hit is exactly what a read would give. Values must be immutable: they are shared.
/// </summary>
/// <remarks>Bounded: once full, elements not in it are read as before (a safety net against free text, not an LRU).</remarks>
internal sealed class Hl7v2ElementCache<T>(int maxEntries)
{
    private const int MaxKeyChars = BoundedCache<T>.MaxStackKeyChars;

    private readonly BoundedCache<T> _values = new(maxEntries);

    /// <param name="labId">The lab whose codes these are (local systems are scoped to it).</param>
    /// <param name="rule">The reading's own variant (e.g. whether a bare code is text), part of the key.</param>
    public T GetOrRead(Hl7v2Element element, string labId, char rule, Func<Hl7v2Element, string, T> read)
    {
        Span<char> key = stackalloc char[MaxKeyChars];
        var head = labId.Length + 2;
        if (head >= MaxKeyChars || !element.TryWriteContentKey(key[head..], out var content)) return read(element, labId);

        key[0] = rule;
        labId.CopyTo(key[1..]);
        key[head - 1] = '\n'; // never in a lab id
        return _values.GetOrAdd(key[..(head + content)], (element, labId, read), static s => s.read(s.element, s.labId));
    }
}
