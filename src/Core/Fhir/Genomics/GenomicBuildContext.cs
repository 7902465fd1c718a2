using System.Buffers;
using System.Text.Json;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Fhir.Genomics;

/// <summary>The kinds of finding a derivedFrom key may resolve to.</summary>
[Flags]
internal enum FindingKind
{
    None = 0,
    Variant = 1,
    Haplotype = 2,
    Genotype = 4,
}

/// <summary>
/// What one <see cref="GenomicReportBuilder.Build"/> call accumulates: the ids it hands out, the entries written so far
/// (UTF-8 JSON, in write order), the findings by key for derivedFrom, and everything it could not place.
/// </summary>
/// <remarks>
/// Entries are written straight to JSON with one <see cref="Utf8JsonWriter"/> into a buffer the thread keeps between
/// builds, and the bundles are cut from it at the end (<see cref="Finish"/>): no node per value, so a report costs
/// little more than its output (issue 3: under 20× the message). The writer validates structure, so a builder bug
/// fails loudly in tests rather than writing broken JSON. Not re-entrant: one build at a time per thread.
/// </remarks>
internal sealed class GenomicBuildContext
{
    /// <summary>Why a zone-less date-time lost its time of day: no zone is invented.</summary>
    public const string ZonelessDateTime = "the time has no zone: a FHIR dateTime with a time of day needs one, so only the day was written";

    // An Observation's categories, written once (minimal JSON, as the writer writes it).
    private static readonly byte[] LaboratoryCategory = FhirJson.Utf8(static w =>
    {
        w.WriteStartArray();
        FhirJson.WriteConcept(w, GenomicsCodes.ObservationCategorySystem, "laboratory", "Laboratory");
        w.WriteEndArray();
    });

    private static readonly byte[] GenomicCategories = FhirJson.Utf8(static w =>
    {
        w.WriteStartArray();
        FhirJson.WriteConcept(w, GenomicsCodes.ObservationCategorySystem, "laboratory", "Laboratory");
        FhirJson.WriteConcept(w, GenomicsCodes.DiagnosticServiceSystem, "GE", "Genetics");
        w.WriteEndArray();
    });

    private static readonly byte[] BundleStart = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["u8.ToArray();
    private static readonly byte[] BundleEnd = "]}"u8.ToArray();

    /// <summary>The most a thread keeps of its write buffer between builds (an HL7 v2 report takes tens of KB).</summary>
    private const int MaxKeptScratchBytes = 1024 * 1024;

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_scratch;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    private readonly HashSet<Guid> _usedIds = [];
    private readonly Dictionary<string, List<(FindingKind Kind, string Reference)>> _findingsByKey = new(StringComparer.Ordinal);
    private readonly ArrayBufferWriter<byte> _scratch;
    private readonly List<(int Start, int End)> _entries = [];
    private (int Start, int End) _patientEntry;
    private int _entryStart = -1;
    private string? _pendingReference;

    public GenomicBuildContext(LabReport report, ReportProvenance provenance)
    {
        Report = report;
        Provenance = provenance;
        // A report that names nobody must not reach the FHIR service (issue 7, patient safety): every format's mapper
        // already rejects it where it can say where (HL7 v2 PID-3, a VCF sample column), so this is the last guard.
        Patient = FirstIdentifier(report.Patient) is { } identifier
            ? PatientIdentity.FromIdentifier(identifier.System, identifier.Value, provenance.LabId)
            : throw new LabFileRejectedException(SourcePosition.None, "the report has no usable patient identifier: it cannot be tied to a patient");
        ReportId = NewId("DiagnosticReport", "report");
        ReportReference = Reference("DiagnosticReport", ReportId);
        _scratch = t_scratch ??= new ArrayBufferWriter<byte>(16 * 1024);
        _scratch.ResetWrittenCount();
        Writer = t_writer ??= new Utf8JsonWriter(_scratch);
    }

    public LabReport Report { get; }

    public ReportProvenance Provenance { get; }

    public PatientIdentity Patient { get; }

    public Guid ReportId { get; }

    public string ReportReference { get; }

    public string? SpecimenReference { get; set; }

    /// <summary>The writer of the entry being written (between <see cref="BeginResource"/> and <see cref="EndResource"/>).</summary>
    public Utf8JsonWriter Writer { get; }

    public List<string> OwnedReferences { get; } = [];

    /// <summary>Every Observation written, for DiagnosticReport.result.</summary>
    public List<string> Results { get; } = [];

    public List<LabFileProblem> Skipped { get; } = [];

    /// <summary>PUT entries written so far.</summary>
    public int EntryCount => _entries.Count;

    private static PatientIdentifier? FirstIdentifier(PatientDetails patient)
    {
        foreach (var identifier in patient.Identifiers)
        {
            if (!string.IsNullOrWhiteSpace(identifier.Value)) return identifier;
        }

        return null;
    }

    /// <summary>
    /// A deterministic id for (kind, key). A key the lab used twice for one kind gets an occurrence suffix, so
    /// both resources are kept and the ids stay stable for the same input.
    /// </summary>
    /// <remarks>Ids stay <see cref="Guid"/>s: the writer formats them, and only references become strings.</remarks>
    public Guid NewId(string kind, string key)
    {
        var id = DeterministicIds.ForReportResourceGuid(Provenance.LabId, Report.Accession, kind, key);
        for (var occurrence = 2; !_usedIds.Add(id); occurrence++)
        {
            id = DeterministicIds.ForReportResourceGuid(Provenance.LabId, Report.Accession, kind, $"{key}#{occurrence}");
        }

        return id;
    }

    /// <summary><c>Type/id</c>, made in one string.</summary>
    public static string Reference(string resourceType, Guid id) =>
        string.Create(resourceType.Length + 37, (resourceType, id), static (chars, state) =>
        {
            state.resourceType.CopyTo(chars);
            chars[state.resourceType.Length] = '/';
            state.id.TryFormat(chars[(state.resourceType.Length + 1)..], out _, "D");
        });

    /// <summary>Makes a finding reachable from derivedFrom by its key (the first finding with a key wins).</summary>
    public void RegisterFinding(string key, FindingKind kind, string reference)
    {
        if (!_findingsByKey.TryGetValue(key, out var targets)) _findingsByKey[key] = targets = [];
        targets.Add((kind, reference));
    }

    /// <summary>derivedFrom references for <paramref name="keys"/>; unknown keys or kinds the profile does not allow are skipped.</summary>
    public List<string> DerivedFrom(IReadOnlyList<string> keys, FindingKind allowed, string path)
    {
        var references = new List<string>(keys.Count);
        foreach (var key in keys)
        {
            string? reference = null;
            if (_findingsByKey.TryGetValue(key, out var targets))
            {
                foreach (var target in targets)
                {
                    if ((allowed & target.Kind) != 0)
                    {
                        reference = target.Reference;
                        break;
                    }
                }
            }

            if (reference is null)
            {
                Skip(path, "derivedFrom", targets is null
                    ? $"derived from '{key}', which is no finding of this report"
                    : $"derived from '{key}', a {targets[0].Kind} this profile cannot derive from");
                continue;
            }

            if (!references.Contains(reference)) references.Add(reference);
        }

        return references;
    }

    public void Skip(string path, string? field, string reason) =>
        Skipped.Add(new LabFileProblem(new SourcePosition { Path = path, Field = field }, reason));

    /// <summary>Starts a PUT entry and its resource, with its type and id; the caller writes the rest of the resource.</summary>
    public Utf8JsonWriter BeginResource(string resourceType, Guid id)
    {
        if (_pendingReference is not null) throw new InvalidOperationException("An entry is already open.");
        _pendingReference = Reference(resourceType, id);
        BeginEntry();
        Writer.WriteStartObject();
        Writer.WritePropertyName("resource");
        Writer.WriteStartObject();
        Writer.WriteString("resourceType", resourceType);
        Writer.WriteString("id", id);
        return Writer;
    }

    /// <summary>Closes the resource <see cref="BeginResource"/> opened, adds its PUT request and records it as owned.</summary>
    public string EndResource()
    {
        var reference = _pendingReference ?? throw new InvalidOperationException("No entry is open.");
        Writer.WriteEndObject();
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
    /// Provenance (as <see cref="ReportTransactionBuilder.Chunk"/> lays them out).
    /// </summary>
    public Utf8Bundles Finish(int maxEntries)
    {
        var room = maxEntries - 1;
        var count = _entries.Count;
        var bundleCount = Math.Max(1, (count + room - 1) / room);
        var patientLength = _patientEntry.End - _patientEntry.Start;
        var total = 0;
        foreach (var (start, end) in _entries) total += end - start + 1;
        total += bundleCount * (BundleStart.Length + BundleEnd.Length + patientLength);

        var buffer = ArrayPool<byte>.Shared.Rent(total);
        var offsets = new int[bundleCount + 1];
        var source = _scratch.WrittenSpan;
        var at = 0;
        var next = 0;
        var take = count % room is > 0 and var remainder ? remainder : room;
        for (var bundle = 0; bundle < bundleCount; bundle++, take = room)
        {
            offsets[bundle] = at;
            at += Copy(BundleStart, buffer, at);
            at += Copy(source[_patientEntry.Start.._patientEntry.End], buffer, at);
            for (var i = 0; i < take && next < count; i++, next++)
            {
                buffer[at++] = (byte)',';
                at += Copy(source[_entries[next].Start.._entries[next].End], buffer, at);
            }

            at += Copy(BundleEnd, buffer, at);
        }

        offsets[bundleCount] = at;

        // A VCF report of thousands of variants grows the buffer to megabytes: the thread does not keep that much.
        if (_scratch.Capacity > MaxKeptScratchBytes)
        {
            t_scratch = null;
            t_writer = null;
        }

        return new Utf8Bundles(buffer, offsets);
    }

    private static int Copy(ReadOnlySpan<byte> from, byte[] to, int at)
    {
        from.CopyTo(to.AsSpan(at));
        return from.Length;
    }

    /// <summary>
    /// Starts an Observation entry as every Observation starts (resourceType, id, meta, status, categories, code,
    /// subject, times, specimen) and leaves the resource open for the caller's own properties.
    /// </summary>
    public Utf8JsonWriter BeginObservation(
        Guid id, string? profile, (string System, string Code, string? Display) code, string status, bool genomic, string? effective = null)
    {
        var writer = BeginObservationHead(id, profile, status, genomic);
        writer.WritePropertyName("code");
        FhirJson.WriteConcept(writer, code.System, code.Code, code.Display);
        WriteObservationTail(effective);
        return writer;
    }

    /// <summary><see cref="BeginObservation(Guid, string?, ValueTuple{string, string, string?}, string, bool, string?)"/> with the lab's code (which must have a concept).</summary>
    public Utf8JsonWriter BeginObservation(Guid id, string? profile, CodedValue code, string status, bool genomic, string? effective = null)
    {
        var writer = BeginObservationHead(id, profile, status, genomic);
        writer.WritePropertyName("code");
        FhirJson.WriteConcept(writer, code);
        WriteObservationTail(effective);
        return writer;
    }

    private Utf8JsonWriter BeginObservationHead(Guid id, string? profile, string status, bool genomic)
    {
        var writer = BeginResource("Observation", id);
        if (profile is not null) FhirJson.WriteMeta(writer, profile);
        writer.WriteString("status", status);
        writer.WritePropertyName("category");
        writer.WriteRawValue(genomic ? GenomicCategories : LaboratoryCategory, skipInputValidation: true);
        return writer;
    }

    private void WriteObservationTail(string? effective)
    {
        FhirJson.WriteReference(Writer, "subject", Patient.FullUrl);
        if (ValidDateTime(effective ?? Report.Effective) is { } when) Writer.WriteString("effectiveDateTime", when);
        if (ValidInstant(Report.Issued) is { } issued) Writer.WriteString("issued", issued);
        if (SpecimenReference is not null) FhirJson.WriteReference(Writer, "specimen", SpecimenReference);
    }

    /// <summary>The value as a FHIR dateTime (a zone-less date-time cut to its day), or null; see <see cref="FhirDateTimes.ToDateTime"/>.</summary>
    public static string? ValidDateTime(string? value) => FhirDateTimes.ToDateTime(value, out _);

    /// <summary><see cref="ValidDateTime"/>, recording a value that was cut to its day or could not be written at all.</summary>
    public string? DateTime(string? value, string path, string field)
    {
        var dateTime = FhirDateTimes.ToDateTime(value, out var cutToDay);
        if (cutToDay) Skip(path, field, ZonelessDateTime);
        else if (value is not null && dateTime is null) Skip(path, field, "not a FHIR dateTime");
        return dateTime;
    }


    public static string? ValidInstant(string? value) => value is not null && FhirDateTimes.IsInstant(value) ? value : null;

    /// <summary>An Observation status: the finding's own (FHIR or HL7 v2 OBX-11 code), else the report's.</summary>
    public string ObservationStatus(string? status) => status?.Trim() switch
    {
        "registered" or "preliminary" or "final" or "amended" or "corrected" or "cancelled" or "entered-in-error" or "unknown" => status.Trim(),
        "F" => "final",
        "C" => "corrected",
        "A" => "amended",
        "P" or "R" or "S" => "preliminary",
        "I" => "registered",
        "X" => "cancelled",
        "W" or "D" => "entered-in-error",
        _ => Report.Status switch
        {
            ReportStatus.Preliminary => "preliminary",
            ReportStatus.Corrected => "corrected",
            ReportStatus.Amended => "amended",
            ReportStatus.Cancelled => "cancelled",
            _ => "final",
        },
    };
}
