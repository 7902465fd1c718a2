using System.Globalization;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>
/// Maps one ORU^R01 message to the canonical <see cref="LabReport"/>: PID, ORC/OBR and SPM to the
/// report's header, OBX rows grouped by OBX-4 sub-ID to genomic findings (see the Genomics partial for
/// the conventions), ED/RP rows to documents, NTE to notes, other OBX rows to plain lab results.
/// Every OBX ends up mapped or in <see cref="LabReport.Skipped"/> with its position and a reason, and so
/// does every segment that is not read; reasons never quote values.
/// </summary>
public sealed partial class Hl7v2ReportMapper
{
    private static readonly HashSet<string> MappedSegments = new(StringComparer.Ordinal) { "MSH", "PID", "ORC", "OBR", "OBX", "NTE", "SPM" };

    private readonly Hl7v2Message _message;
    private readonly string _labId;
    private readonly List<LabFileProblem> _skipped = [];
    private readonly List<string> _notes = [];
    private readonly List<ObxRow> _rows = [];
    private readonly HashSet<int> _mapped = [];

    private readonly IReadOnlyDictionary<string, string>? _localCodes;
    private readonly string? _labPatientSystem;

    private Hl7v2ReportMapper(Hl7v2Message message, string labId, Hl7v2LabConventions? conventions)
    {
        _message = message;
        _labId = labId;
        _localCodes = conventions?.LocalCodes;
        _labPatientSystem = conventions?.PatientIdentifierSystem?.Trim();
    }

    /// <summary>Maps a parsed ORU^R01 message from the lab <paramref name="labId"/>.</summary>
    /// <exception cref="LabFileRejectedException">No patient identifier, no accession, or an unknown OBR-25 status.</exception>
    public static LabReport Map(Hl7v2Message message, string labId) => Map(message, labId, out _);

    /// <summary>
    /// As <see cref="Map(Hl7v2Message, string)"/>, under the lab's conventions: its local OBX-3 codes are read as the
    /// LOINC codes its code map gives them, so a lab that codes panel items locally is grouped and mapped like one that
    /// sends LOINC (the local coding is kept beside the LOINC one); its patient numbers sent without an OID or URI take
    /// its profile's patient identifier system.
    /// </summary>
    public static LabReport Map(Hl7v2Message message, string labId, Hl7v2LabConventions? conventions) =>
        Map(message, labId, out _, conventions);

    /// <summary>As <see cref="Map(Hl7v2Message, string)"/>, also giving how many OBX rows were mapped (for the loss account).</summary>
    internal static LabReport Map(Hl7v2Message message, string labId, out int mappedObservations, Hl7v2LabConventions? conventions = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrEmpty(labId);
        var mapper = new Hl7v2ReportMapper(message, labId, conventions);
        var report = mapper.Build();
        mappedObservations = mapper._mapped.Count;
        return report;
    }

    private LabReport Build()
    {
        var patient = MapPatient();
        _message.TryGetSegment("OBR", out var obr);
        _message.TryGetSegment("ORC", out var orc);
        var testCode = obr.Is("OBR") ? Hl7v2Codes.ToCodedValue(obr.Field(4), _labId, bareCodeIsText: false) : null;
        var status = ReportStatusOf(obr);

        WalkSegments();
        _mapped.EnsureCapacity(_rows.Count);
        MapObservationRows();

        if (status == ReportStatus.Final)
        {
            var corrected = false;
            var amended = false;
            foreach (var row in _rows)
            {
                corrected |= row.Status == "C";
                amended |= row.Status == "A";
            }

            if (corrected) status = ReportStatus.Corrected;
            else if (amended) status = ReportStatus.Amended;
        }

        foreach (var row in _rows)
        {
            // A gap in the mapper, never silent.
            if (!_mapped.Contains(row.Occurrence) && !row.Skipped) Skip(row, null, "the observation was not mapped by any rule");
        }

        // The mapper's own lists are handed over: it is discarded once the report is built.
        return new LabReport
        {
            Accession = AccessionOf(obr, orc),
            Patient = patient,
            Status = status,
            TestCode = testCode,
            Effective = DateTimeOf(obr, 7),
            Issued = DateTimeOf(obr, 22),
            Order = OrderOf(obr, orc, testCode),
            Specimen = SpecimenOf(),
            Conclusion = _conclusion.Count > 0 ? string.Join("\n", _conclusion) : null,
            ConclusionCode = _conclusionCode,
            GenesStudied = _genes,
            GenomeBuild = _genomeBuild,
            RegionsStudied = _regions,
            Variants = _variants,
            DiagnosticImplications = _implications,
            Haplotypes = _haplotypes,
            Genotypes = _genotypes,
            TherapeuticImplications = _therapeutic,
            PhaseRelationships = _phases,
            LabResults = _labResults,
            Documents = _documents,
            Notes = _notes,
            Skipped = _skipped,
        };
    }

    private string AccessionOf(Hl7v2Segment obr, Hl7v2Segment orc)
    {
        foreach (var candidate in new[] { obr.Is("OBR") ? obr.Field(3) : default, orc.Is("ORC") ? orc.Field(3) : default, _message.Header.Field(10) })
        {
            var value = candidate.Component(1).Value.Trim();
            if (value.Length > 0) return value;
        }

        throw new LabFileRejectedException(_message.Header.Field(10).Position,
            "the report has no accession: OBR-3 (filler order number), ORC-3 and MSH-10 (message control id) are all empty");
    }

    private PatientDetails MapPatient()
    {
        if (!_message.TryGetSegment("PID", out var pid))
            throw new LabFileRejectedException(_message.Header.Position, "the message has no PID segment: the report cannot be tied to a patient");

        var identifiers = new List<PatientIdentifier>();
        var pid3 = pid.Field(3);
        AddIdentifiers(pid3, identifiers);

        // PID-2 (external id, 2.3 and 2.4) is used only when PID-3 holds no identifier: the NWGMSA feed sends the NHS number there.
        if (identifiers.Count == 0) AddIdentifiers(pid.Field(2), identifiers);

        if (identifiers.Count == 0)
            throw new LabFileRejectedException(pid3.Position, "PID-3 (patient identifier list) holds no identifier with a value: the report cannot be tied to a patient");

        var name = pid.Field(5);
        var family = name.Component(1).Subcomponent(1).Value;
        var given = new List<string>(2);
        if (name.Component(2).Value is { Length: > 0 } first) given.Add(first);
        if (name.Component(3).Value is { Length: > 0 } middle) given.Add(middle);
        var gender = pid.Field(8).Component(1).Value.ToUpperInvariant() switch
        {
            "M" => "male",
            "F" => "female",
            "O" or "A" or "N" => "other",
            "U" => "unknown",
            _ => null,
        };
        return new PatientDetails(identifiers, family.Length > 0 ? family : null, given.Count > 0 ? given : null,
            Hl7v2Values.ToFhirDate(pid.Field(7).Component(1).Value), gender);
    }

    /// <summary>
    /// The identifiers of a CX list. A system comes from, in order: the assigning authority's OID or URI (CX-4.2/4.3,
    /// the same anywhere); the lab profile's patient identifier system, for the lab's own patient numbers (see
    /// <see cref="LabPatientSystemFor"/>); a lab-scoped name for the authority's namespace (CX-4.1); a lab-scoped default.
    /// </summary>
    private void AddIdentifiers(Hl7v2Element list, List<PatientIdentifier> identifiers)
    {
        var labSystem = LabPatientSystemFor(list);
        for (var i = 1; i <= list.RepetitionCount; i++)
        {
            var cx = list.Repetition(i);
            var value = cx.Component(1).Value.Trim();
            if (value.Length == 0) continue;
            var authority = cx.Component(4);
            var type = cx.Component(5).Value.Trim();
            var system = Hl7v2Codes.UniversalIdSystem(authority.Subcomponent(2).Value.Trim(), authority.Subcomponent(3).Value.Trim())
                ?? (labSystem is not null && IsLabPatientNumber(type) ? labSystem : null)
                ?? Hl7v2Codes.NamespaceSystem(authority.Subcomponent(1).Value, _labId)
                ?? $"urn:precisionmed:lab:{_labId}:patient-id";
            identifiers.Add(new PatientIdentifier(system, value, type.Length > 0 ? type : null));
        }
    }

    /// <summary>
    /// The lab profile's patient identifier system, when it can name the list's patient numbers without an OID or URI.
    /// It is the system of the lab's own numbers, so it is not given to another kind of id sent beside them (a national
    /// number, type NH, SS...), nor when those numbers come from more than one assigning authority: giving two
    /// authorities' numbers one system could match another patient's record, so the lab-scoped names are kept and the
    /// ambiguity is reported. A profile system that is not an absolute URI is not used either (reported too).
    /// </summary>
    private string? LabPatientSystemFor(Hl7v2Element list)
    {
        if (string.IsNullOrEmpty(_labPatientSystem)) return null;
        if (!Uri.TryCreate(_labPatientSystem, UriKind.Absolute, out _))
        {
            _skipped.Add(new LabFileProblem(list.Position,
                "the lab profile's patientIdentifierSystem is not an absolute URI: it is not used, the patient identifiers keep lab-scoped systems"));
            return null;
        }

        string? authorityName = null;
        for (var i = 1; i <= list.RepetitionCount; i++)
        {
            var cx = list.Repetition(i);
            var authority = cx.Component(4);
            if (cx.Component(1).Value.Trim().Length == 0 || !IsLabPatientNumber(cx.Component(5).Value.Trim())
                || Hl7v2Codes.UniversalIdSystem(authority.Subcomponent(2).Value.Trim(), authority.Subcomponent(3).Value.Trim()) is not null)
                continue;

            var name = authority.Subcomponent(1).Value.Trim();
            authorityName ??= name;
            if (!authorityName.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                _skipped.Add(new LabFileProblem(list.Position,
                    "patient numbers of more than one assigning authority without an OID or URI: the lab profile's patientIdentifierSystem "
                    + "could name either, so it is not used and they keep lab-scoped systems"));
                return null;
            }
        }

        return _labPatientSystem;
    }

    /// <summary>An identifier the lab profile's system may name: untyped, a medical record number or a patient internal id.</summary>
    private static bool IsLabPatientNumber(string type) =>
        type.Length == 0 || type.Equals("MR", StringComparison.OrdinalIgnoreCase) || type.Equals("PI", StringComparison.OrdinalIgnoreCase);

    private static ReportStatus ReportStatusOf(Hl7v2Segment obr)
    {
        if (!obr.Is("OBR")) return ReportStatus.Final;
        var field = obr.Field(25);
        return field.Component(1).Value switch
        {
            "" or "F" => ReportStatus.Final,
            "C" => ReportStatus.Corrected,
            "A" => ReportStatus.Amended,
            "P" or "R" or "S" => ReportStatus.Preliminary,
            "X" => ReportStatus.Cancelled,
            _ => throw new LabFileRejectedException(field.Position,
                "OBR-25 (result status) is not one of F, C, A, P, R, S or X: the report's status is unknown"),
        };
    }

    private string? DateTimeOf(Hl7v2Segment segment, int field)
    {
        if (!segment.Is("OBR") && !segment.Is("SPM")) return null;
        var element = segment.Field(field).Component(1);
        if (element.IsEmpty) return null;
        var value = Hl7v2Values.ToFhirDateTime(element.Value);
        if (value is null) _skipped.Add(new LabFileProblem(element.Position, "not an HL7 date/time (YYYY[MM[DD[HH[MM[SS]]]]][+/-ZZZZ]): not mapped"));
        return value;
    }

    private OrderDetails? OrderOf(Hl7v2Segment obr, Hl7v2Segment orc, CodedValue? code)
    {
        if (!obr.Is("OBR") && !orc.Is("ORC")) return null;
        var (placer, placerSystem) = Hl7v2Codes.ToIdentifier(obr.Is("OBR") && !obr.Field(2).IsEmpty ? obr.Field(2) : orc.Field(2), _labId);
        var (filler, fillerSystem) = Hl7v2Codes.ToIdentifier(obr.Is("OBR") && !obr.Field(3).IsEmpty ? obr.Field(3) : orc.Field(3), _labId);
        return new OrderDetails(placer, filler, code, placerSystem, fillerSystem);
    }

    private SpecimenDetails? SpecimenOf()
    {
        if (!_message.TryGetSegment("SPM", out var spm)) return null;
        var identifier = spm.Field(2).Component(1).Subcomponent(1).Value;
        if (identifier.Length == 0) identifier = spm.Field(2).Component(2).Subcomponent(1).Value;
        return new SpecimenDetails(
            spm.Occurrence.ToString(CultureInfo.InvariantCulture),
            identifier.Length > 0 ? identifier : null,
            Hl7v2Codes.ToCodedValue(spm.Field(4), _labId, bareCodeIsText: false),
            DateTimeOf(spm, 17),
            DateTimeOf(spm, 18));
    }

    /// <summary>Collects OBX rows and NTE notes; accounts for every segment that is not read.</summary>
    private void WalkSegments()
    {
        var obrIndex = 0;
        ObxRow? lastRow = null;
        var firstOrc = true;
        var firstSpm = true;
        foreach (var segment in _message.Segments())
        {
            var id = segment.Id;
            switch (id)
            {
                case "MSH" or "PID":
                    break;
                case "ORC":
                    if (!firstOrc) Skip(segment, "only the first ORC is the report's order; results under the others are still mapped");
                    firstOrc = false;
                    break;
                case "OBR":
                    if (++obrIndex > 1) Skip(segment, "only the first OBR is the report's order; results under the others are still mapped");
                    lastRow = null;
                    break;
                case "SPM":
                    if (!firstSpm) Skip(segment, "only the first SPM is mapped as the report's specimen");
                    firstSpm = false;
                    break;
                case "NTE":
                    var comment = NoteOf(segment);
                    if (comment is null) break;
                    if (lastRow is not null) lastRow.AddNote(comment);
                    else _notes.Add(comment);
                    break;
                case "OBX":
                    lastRow = new ObxRow(segment, Math.Max(obrIndex, 1), _labId, _localCodes);
                    _rows.Add(lastRow);
                    break;
                default:
                    Skip(segment, segment.IsZSegment
                        ? "Z-segment (site-defined): its content is not mapped"
                        : $"{id} segments are not mapped to the report");
                    break;
            }

            if (!MappedSegments.Contains(id)) lastRow = id is "PRT" or "TCD" or "SID" ? lastRow : null;
        }
    }

    private static string? NoteOf(Hl7v2Segment nte)
    {
        var field = nte.Field(3);
        var lines = new List<string>(field.RepetitionCount);
        for (var i = 1; i <= field.RepetitionCount; i++) lines.Add(field.Repetition(i).Value);
        var text = string.Join('\n', lines).Trim();
        return text.Length > 0 ? text : null;
    }

    private void Skip(Hl7v2Segment segment, string reason) => _skipped.Add(new LabFileProblem(segment.Position, reason));

    private void Skip(ObxRow row, Hl7v2Element? field, string reason)
    {
        row.Skipped = true;
        _skipped.Add(new LabFileProblem(field?.Position ?? row.Segment.Position, reason));
    }

    private void Mapped(ObxRow row) => _mapped.Add(row.Occurrence);

    private void Mapped(IEnumerable<ObxRow> rows)
    {
        foreach (var row in rows) Mapped(row);
    }
}
