using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace PrecisionMed.Core.Fhir.Genomics;

/// <summary>
/// Writes one report's entries as UTF-8 JSON, in write order, and cuts the transaction bundles from them at the end
/// (<see cref="Finish"/>): the Patient entry (a conditional create) in every bundle, the PUT entries after it.
/// </summary>
/// <remarks>
/// One <see cref="Utf8JsonWriter"/> writes into a buffer the thread keeps between builds: no node per value, so a
/// report costs little more than its output. The writer validates structure, so a builder bug fails loudly in tests
/// rather than writing broken JSON. Not re-entrant: one build at a time per thread.
/// </remarks>
internal sealed class GenomicBundleWriter
{
    private static readonly byte[] BundleStart = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["u8.ToArray();
    private static readonly byte[] BundleEnd = "]}"u8.ToArray();

    /// <summary>What a PUT entry holds before its resource: <c>{"resource":</c>.</summary>
    private const int ResourceOffset = 12;

    /// <summary>The most a thread keeps of its write buffer between builds (an HL7 v2 report takes tens of KB).</summary>
    private const int MaxKeptScratchBytes = 1024 * 1024;

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_scratch;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    private readonly ArrayBufferWriter<byte> _scratch;
    private readonly List<(int Start, int End)> _entries = [];

    /// <summary>Each PUT entry's resource: its type, the profile it declares and where its JSON ends in the scratch buffer.</summary>
    private readonly List<(string Type, string? Profile, int End)> _resources = [];
    private (string Type, string? Profile) _pendingResource;
    private (int Start, int End) _patientEntry;
    private int _entryStart = -1;
    private string? _pendingReference;

    /// <summary>The report's status value in the scratch buffer (past its opening quote), and the entry it is in; -1 when none.</summary>
    private (int At, int Entry) _status = (-1, -1);

    /// <param name="expectedBytes">
    /// About how much the entries will take: a buffer that size from the start spares a large report (a VCF's thousands
    /// of variants) the buffer's doublings, each a copy and a large-object allocation.
    /// </param>
    public GenomicBundleWriter(int expectedBytes = 0)
    {
        if (t_scratch is null || t_scratch.Capacity < expectedBytes)
        {
            t_scratch = new ArrayBufferWriter<byte>(Math.Max(16 * 1024, expectedBytes));
            t_writer = null;
        }

        _scratch = t_scratch;
        _scratch.ResetWrittenCount();
        Writer = t_writer ??= new Utf8JsonWriter(_scratch);
    }

    /// <summary>The writer of the entry being written (between <see cref="BeginResource"/> and <see cref="EndResource"/>).</summary>
    public Utf8JsonWriter Writer { get; }

    public List<string> OwnedReferences { get; } = [];

    /// <summary>PUT entries written so far.</summary>
    public int EntryCount => _entries.Count;

    /// <summary>
    /// Starts a PUT entry and its resource, with its type, id and (when given) <c>meta.profile</c>; the caller writes the
    /// rest of the resource. A resource declares its profile here and nowhere else, so that what is written can be told
    /// apart without reading it (<see cref="WrittenResource"/>).
    /// </summary>
    public Utf8JsonWriter BeginResource(string resourceType, Guid id, string? profile = null)
    {
        if (_pendingReference is not null) throw new InvalidOperationException("An entry is already open.");
        _pendingReference = GenomicIds.Reference(resourceType, id);
        BeginEntry();
        Writer.WriteStartObject();
        Writer.WritePropertyName("resource");
        Writer.WriteStartObject();
        Writer.WriteString("resourceType", resourceType);
        Writer.WriteString("id", id);
        if (profile is not null) FhirJson.WriteMeta(Writer, profile);
        _pendingResource = (resourceType, profile);
        return Writer;
    }

    /// <summary>Closes the resource <see cref="BeginResource"/> opened, adds its PUT request and records it as owned.</summary>
    public string EndResource()
    {
        var reference = _pendingReference ?? throw new InvalidOperationException("No entry is open.");
        Writer.WriteEndObject();
        // The writer was reset at the entry's start, so what it has taken since is the entry so far.
        _resources.Add((_pendingResource.Type, _pendingResource.Profile, _entryStart + (int)(Writer.BytesCommitted + Writer.BytesPending)));
        Writer.WriteStartObject("request");
        Writer.WriteString("method", "PUT");
        Writer.WriteString("url", reference);
        Writer.WriteEndObject();
        Writer.WriteEndObject();
        _entries.Add(EndEntry());
        _pendingReference = null;
        OwnedReferences.Add(reference);
        return reference;
    }

    /// <summary>
    /// Writes the report's <c>status</c> in the open entry and remembers where its value lies, so that an amendment can
    /// rewrite it in the written bundle (<see cref="ReportTransaction.SetReportStatus"/>).
    /// </summary>
    public void WriteReportStatus(string status)
    {
        Writer.WriteString("status", status);
        Writer.Flush();
        // The value is the last thing written, then its closing quote.
        _status = (_scratch.WrittenCount - 1 - JsonEncodedText.Encode(status).EncodedUtf8Bytes.Length, _entries.Count);
    }

    /// <summary>Starts the Patient entry (a conditional create, repeated in every bundle); <see cref="EndPatientEntry"/> ends it.</summary>
    public Utf8JsonWriter BeginPatientEntry()
    {
        BeginEntry();
        return Writer;
    }

    public void EndPatientEntry() => _patientEntry = EndEntry();

    private void BeginEntry()
    {
        Writer.Reset(_scratch);
        _entryStart = _scratch.WrittenCount;
    }

    private (int Start, int End) EndEntry()
    {
        Writer.Flush();
        var entry = (_entryStart, _scratch.WrittenCount);
        _entryStart = -1;
        return entry;
    }

    /// <summary>
    /// The bundles: the entries in write order, at most <paramref name="maxEntries"/> to a bundle with the Patient
    /// entry in each, the first bundle taking the remainder so the last is full and holds the report with its
    /// Provenance (as <see cref="ReportTransactionBuilder.Chunk"/> lays them out); and where the report's status value
    /// lies in them (-1 when no status was written).
    /// </summary>
    /// <remarks>
    /// A large report (a VCF's thousands of variants) grows the write buffer to megabytes, which the thread then lets go;
    /// when it has room for the bundles, they are laid out in it rather than copied to a second buffer of megabytes
    /// (<paramref name="reuseLargeBuffer"/>, false only for tests comparing the two ways).
    /// </remarks>
    public (Utf8Bundles Bundles, int StatusAt) Finish(int maxEntries, bool reuseLargeBuffer = true)
    {
        var layout = Layout(maxEntries);
        var detached = _scratch.Capacity > MaxKeptScratchBytes;
        if (detached)
        {
            t_scratch = null;
            t_writer = null;
        }

        var source = _scratch.WrittenSpan;
        var patient = source[_patientEntry.Start.._patientEntry.End];
        byte[] buffer;
        if (reuseLargeBuffer && detached && layout.FitsInPlace
            && MemoryMarshal.TryGetArray(_scratch.WrittenMemory, out var written) && written.Offset == 0 && written.Array!.Length >= layout.Total)
        {
            // Each entry moves to its place or further on, so moving them last first overwrites nothing still to move;
            // the Patient entry, repeated in every bundle, is set aside before its bytes can be overwritten.
            buffer = written.Array;
            patient = patient.ToArray();
        }
        else
        {
            buffer = Utf8Bundles.Allocate(layout.Total);
        }

        for (var i = _entries.Count - 1; i >= 0; i--) source[_entries[i].Start.._entries[i].End].CopyTo(buffer.AsSpan(layout.Entries[i]));
        for (var bundle = 0; bundle < layout.Offsets.Length - 1; bundle++)
        {
            var at = layout.Offsets[bundle];
            at += Copy(BundleStart, buffer, at);
            Copy(patient, buffer, at);
            Copy(BundleEnd, buffer, layout.Offsets[bundle + 1] - BundleEnd.Length);
        }

        foreach (var at in layout.Entries) buffer[at - 1] = (byte)',';
        var statusAt = _status.Entry < 0 ? -1 : layout.Entries[_status.Entry] + _status.At - _entries[_status.Entry].Start;
        var resources = new WrittenResource[_entries.Count];
        for (var i = 0; i < resources.Length; i++)
        {
            var (type, profile, end) = _resources[i];
            resources[i] = new WrittenResource(type, profile, layout.Entries[i] + ResourceOffset, end - _entries[i].Start - ResourceOffset);
        }

        return (new Utf8Bundles(buffer, layout.Offsets, resources), statusAt);
    }

    /// <summary>Where each bundle starts (and, last, where the bundles end) and where each entry lands, past its comma.</summary>
    private BundleLayout Layout(int maxEntries)
    {
        var room = maxEntries - 1;
        var count = _entries.Count;
        var bundleCount = Math.Max(1, (count + room - 1) / room);
        var header = BundleStart.Length + (_patientEntry.End - _patientEntry.Start);
        var offsets = new int[bundleCount + 1];
        var entries = new int[count];
        var fitsInPlace = true;
        var at = 0;
        var next = 0;
        var take = count % room is > 0 and var remainder ? remainder : room;
        for (var bundle = 0; bundle < bundleCount; bundle++, take = room)
        {
            offsets[bundle] = at;
            at += header;
            for (var i = 0; i < take && next < count; i++, next++)
            {
                entries[next] = ++at;
                fitsInPlace &= at >= _entries[next].Start;
                at += _entries[next].End - _entries[next].Start;
            }

            at += BundleEnd.Length;
        }

        offsets[bundleCount] = at;
        return new BundleLayout(offsets, entries, at, fitsInPlace);
    }

    private readonly record struct BundleLayout(int[] Offsets, int[] Entries, int Total, bool FitsInPlace);

    private static int Copy(ReadOnlySpan<byte> from, byte[] to, int at)
    {
        from.CopyTo(to.AsSpan(at));
        return from.Length;
    }
}
