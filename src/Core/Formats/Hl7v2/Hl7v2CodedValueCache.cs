using System.Collections.Concurrent;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>
/// Coded values read once per distinct element: a lab's messages name the same few dozen codes over and over (every
/// OBX-3 of a genetic panel is one of its LOINC items, most OBX-5 answers are LOINC answers), and reading one builds its
/// codings, strings and system URIs anew. Keyed by everything the reading depends on (the element's content key, the
/// lab, the bare-code rule), so a hit is exactly what a read would give; values are immutable records, shared safely.
/// </summary>
/// <remarks>Bounded: once full, elements not in it are read as before (a safety net against free text, not an LRU).</remarks>
internal static class Hl7v2CodedValueCache
{
    private const int MaxEntries = 8192;
    private const int MaxKeyChars = 256;

    private static readonly ConcurrentDictionary<string, CodedValue?> Values = new(StringComparer.Ordinal);
    private static int s_count; // Values.Count takes every lock of the dictionary
    private static readonly ConcurrentDictionary<string, CodedValue?>.AlternateLookup<ReadOnlySpan<char>> BySpan =
        Values.GetAlternateLookup<ReadOnlySpan<char>>();

    public static CodedValue? GetOrRead(Hl7v2Element element, string labId, bool bareCodeIsText)
    {
        Span<char> key = stackalloc char[MaxKeyChars];
        var head = labId.Length + 2;
        if (head >= MaxKeyChars || !element.TryWriteContentKey(key[head..], out var content))
            return Hl7v2Codes.ReadCodedValue(element, labId, bareCodeIsText);

        key[0] = bareCodeIsText ? 'T' : 'C';
        labId.CopyTo(key[1..]);
        key[head - 1] = '\n'; // never in a lab id
        var whole = key[..(head + content)];
        if (BySpan.TryGetValue(whole, out var cached)) return cached;

        var value = Hl7v2Codes.ReadCodedValue(element, labId, bareCodeIsText);
        if (Volatile.Read(ref s_count) < MaxEntries && BySpan.TryAdd(whole, value)) Interlocked.Increment(ref s_count);
        return value;
    }
}
