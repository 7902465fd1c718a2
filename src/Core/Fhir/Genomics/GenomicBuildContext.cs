using System.Text.Json;
using System.Text.Json.Nodes;
using PrecisionMed.Core.Formats;
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
/// What one <see cref="GenomicReportBuilder.Build"/> call accumulates: the ids it hands out, the entries in
/// write order, the findings by key for derivedFrom, and everything it could not place.
/// </summary>
internal sealed class GenomicBuildContext
{
    /// <summary>Why a zone-less date-time lost its time of day: no zone is invented.</summary>
    public const string ZonelessDateTime = "the time has no zone: a FHIR dateTime with a time of day needs one, so only the day was written";

    // An Observation's categories, parsed once and shared (see FhirJson).
    private static readonly JsonElement LaboratoryCategory =
        FhirJson.Element(new JsonArray(FhirJson.Concept(GenomicsCodes.ObservationCategorySystem, "laboratory", "Laboratory")));
    private static readonly JsonElement GenomicCategories = FhirJson.Element(new JsonArray(
        FhirJson.Concept(GenomicsCodes.ObservationCategorySystem, "laboratory", "Laboratory"),
        FhirJson.Concept(GenomicsCodes.DiagnosticServiceSystem, "GE", "Genetics")));

    private readonly HashSet<string> _usedIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(FindingKind Kind, string Reference)>> _findingsByKey = new(StringComparer.Ordinal);

    public GenomicBuildContext(LabReport report, ReportProvenance provenance)
    {
        Report = report;
        Provenance = provenance;
        // A report that names nobody must not reach the FHIR service (issue 7, patient safety): every format's mapper
        // already rejects it where it can say where (HL7 v2 PID-3, a VCF sample column), so this is the last guard.
        Patient = report.Patient.Identifiers.FirstOrDefault(i => !string.IsNullOrWhiteSpace(i.Value)) is { } identifier
            ? PatientIdentity.FromIdentifier(identifier.System, identifier.Value, provenance.LabId)
            : throw new LabFileRejectedException(SourcePosition.None, "the report has no usable patient identifier: it cannot be tied to a patient");
        ReportReference = "DiagnosticReport/" + NewId("DiagnosticReport", "report");
    }

    public LabReport Report { get; }

    public ReportProvenance Provenance { get; }

    public PatientIdentity Patient { get; }

    public string ReportReference { get; }

    public string? SpecimenReference { get; set; }

    /// <summary>PUT entries in write order: what others reference comes first.</summary>
    public List<JsonObject> Entries { get; } = [];

    public List<string> OwnedReferences { get; } = [];

    /// <summary>Every Observation written, for DiagnosticReport.result.</summary>
    public List<string> Results { get; } = [];

    public List<LabFileProblem> Skipped { get; } = [];

    /// <summary>
    /// A deterministic id for (kind, key). A key the lab used twice for one kind gets an occurrence suffix, so
    /// both resources are kept and the ids stay stable for the same input.
    /// </summary>
    public string NewId(string kind, string key)
    {
        var id = DeterministicIds.ForReportResource(Provenance.LabId, Report.Accession, kind, key);
        for (var occurrence = 2; !_usedIds.Add(id); occurrence++)
        {
            id = DeterministicIds.ForReportResource(Provenance.LabId, Report.Accession, kind, $"{key}#{occurrence}");
        }

        return id;
    }

    /// <summary>Makes a finding reachable from derivedFrom by its key (the first finding with a key wins).</summary>
    public void RegisterFinding(string key, FindingKind kind, string reference)
    {
        if (!_findingsByKey.TryGetValue(key, out var targets)) _findingsByKey[key] = targets = [];
        targets.Add((kind, reference));
    }

    /// <summary>derivedFrom references for <paramref name="keys"/>; unknown keys or kinds the profile does not allow are skipped.</summary>
    public JsonArray DerivedFrom(IEnumerable<string> keys, FindingKind allowed, string path)
    {
        var references = new JsonArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var target = _findingsByKey.TryGetValue(key, out var targets)
                ? targets.FirstOrDefault(t => allowed.HasFlag(t.Kind))
                : default;
            if (target.Reference is null)
            {
                Skip(path, "derivedFrom", targets is null
                    ? $"derived from '{key}', which is no finding of this report"
                    : $"derived from '{key}', a {targets[0].Kind} this profile cannot derive from");
                continue;
            }

            if (seen.Add(target.Reference)) references.Add(FhirJson.Reference(target.Reference));
        }

        return references;
    }

    public void Skip(string path, string? field, string reason) =>
        Skipped.Add(new LabFileProblem(new SourcePosition { Path = path, Field = field }, reason));

    /// <summary>Adds a resource that carries its id as a PUT entry, and records it as owned.</summary>
    public string Put(JsonObject resource)
    {
        var reference = $"{(string)resource["resourceType"]!}/{(string)resource["id"]!}";
        Entries.Add(ReportTransactionBuilder.Entry(resource, "PUT", reference));
        OwnedReferences.Add(reference);
        return reference;
    }

    /// <summary>
    /// Adds a PUT entry whose resource <paramref name="write"/> writes with the writer (see <see cref="FhirJson"/>: one
    /// parsed element instead of a node per value), and records it as owned. The entry is the one <see cref="Put"/> makes.
    /// </summary>
    public string PutWritten<TState>(string resourceType, string id, TState state, Action<Utf8JsonWriter, TState> write)
    {
        var reference = $"{resourceType}/{id}";
        Entries.Add(FhirJson.Written((reference, state, write), static (writer, s) =>
        {
            writer.WriteStartObject();
            writer.WritePropertyName("resource");
            s.write(writer, s.state);
            writer.WriteStartObject("request");
            writer.WriteString("method", "PUT");
            writer.WriteString("url", s.reference);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }));
        OwnedReferences.Add(reference);
        return reference;
    }

    /// <summary>
    /// Writes the start of an Observation as <see cref="Observation"/> builds it (same properties, same order) and
    /// leaves the object open for the caller's own properties.
    /// </summary>
    public void WriteObservationStart(Utf8JsonWriter writer, string id, string profile, (string System, string Code, string? Display) code, string status)
    {
        writer.WriteStartObject();
        writer.WriteString("resourceType", "Observation");
        writer.WriteString("id", id);
        writer.WriteStartObject("meta");
        writer.WriteStartArray("profile");
        writer.WriteStringValue(profile);
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteString("status", status);
        writer.WritePropertyName("category");
        GenomicCategories.WriteTo(writer);
        writer.WritePropertyName("code");
        FhirJson.WriteConcept(writer, code.System, code.Code, code.Display);
        WriteReference(writer, "subject", Patient.FullUrl);
        if (ValidDateTime(Report.Effective) is { } when) writer.WriteString("effectiveDateTime", when);
        if (ValidInstant(Report.Issued) is { } issued) writer.WriteString("issued", issued);
        if (SpecimenReference is not null) WriteReference(writer, "specimen", SpecimenReference);
    }

    private static void WriteReference(Utf8JsonWriter writer, string name, string reference)
    {
        writer.WriteStartObject(name);
        writer.WriteString("reference", reference);
        writer.WriteEndObject();
    }

    /// <summary>The start of every Observation: status, categories, code, subject, times and specimen.</summary>
    public JsonObject Observation(string id, string? profile, JsonObject code, string status, bool genomic, string? effective = null)
    {
        var observation = new JsonObject { ["resourceType"] = "Observation", ["id"] = id };
        if (profile is not null) observation["meta"] = FhirJson.Meta(profile);
        observation["status"] = status;
        observation["category"] = FhirJson.KnownArray(genomic ? GenomicCategories : LaboratoryCategory);
        observation["code"] = code;
        observation["subject"] = FhirJson.Reference(Patient.FullUrl);
        if (ValidDateTime(effective ?? Report.Effective) is { } when) observation["effectiveDateTime"] = when;
        if (ValidInstant(Report.Issued) is { } issued) observation["issued"] = issued;
        if (SpecimenReference is not null) observation["specimen"] = FhirJson.Reference(SpecimenReference);
        return observation;
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
