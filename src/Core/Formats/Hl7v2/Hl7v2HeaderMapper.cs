using System.Globalization;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>
/// The report's header from PID, ORC/OBR and SPM: patient, accession, status, dates, order and specimen. A value that
/// cannot be read goes to <paramref name="skipped"/> with its position; reasons never quote values.
/// </summary>
internal sealed class Hl7v2HeaderMapper(Hl7v2Message message, string labId, string? labPatientSystem, List<LabFileProblem> skipped)
{
    public string AccessionOf(Hl7v2Segment obr, Hl7v2Segment orc)
    {
        foreach (var candidate in new[] { obr.Is("OBR") ? obr.Field(3) : default, orc.Is("ORC") ? orc.Field(3) : default, message.Header.Field(10) })
        {
            var value = candidate.Component(1).Value.Trim();
            if (value.Length > 0) return value;
        }

        throw new LabFileRejectedException(message.Header.Field(10).Position,
            "the report has no accession: OBR-3 (filler order number), ORC-3 and MSH-10 (message control id) are all empty");
    }

    public PatientDetails MapPatient()
    {
        if (!message.TryGetSegment("PID", out var pid))
            throw new LabFileRejectedException(message.Header.Position, "the message has no PID segment: the report cannot be tied to a patient");

        var identifiers = new List<PatientIdentifier>();
        var pid3 = pid.Field(3);
        AddIdentifiers(pid3, identifiers);

        // PID-2 (external id, 2.3 and 2.4) is used only when PID-3 holds no identifier: the NWGMSA feed sends the NHS number there.
        if (identifiers.Count == 0) AddIdentifiers(pid.Field(2), identifiers);

        if (identifiers.Count == 0)
            throw new LabFileRejectedException(pid3.Position, "PID-3 (patient identifier list) holds no identifier with a value: the report cannot be tied to a patient");
        Hl7v2PatientResultGroups.EnsureOnePatient(message, pid, skipped);

        var name = pid.Field(5);
        var family = name.Component(1).Subcomponent(1).Value;
        var given = new List<string>(2);
        if (name.Component(2).Value is { Length: > 0 } first) given.Add(first);
        if (name.Component(3).Value is { Length: > 0 } middle) given.Add(middle);
        return new PatientDetails(identifiers, family.Length > 0 ? family : null, given.Count > 0 ? given : null, BirthDateOf(pid), GenderOf(pid));
    }

    /// <summary>PID-7; one that is there but no HL7 date is listed as skipped (the patient-safety check compares it).</summary>
    private string? BirthDateOf(Hl7v2Segment pid)
    {
        var element = pid.Field(7).Component(1);
        if (element.IsEmpty) return null;
        var date = Hl7v2Values.ToFhirDate(element.Value);
        if (date is null) skipped.Add(new LabFileProblem(element.Position, "PID-7 (date of birth) is not an HL7 date (YYYY[MM[DD]]...): the Patient has no birth date"));
        return date;
    }

    /// <summary>PID-8 (HL7 table 0001); a code outside it is listed as skipped (the patient-safety check compares it).</summary>
    private string? GenderOf(Hl7v2Segment pid)
    {
        var element = pid.Field(8).Component(1);
        if (element.IsEmpty) return null;
        var gender = element.Value.ToUpperInvariant() switch
        {
            "M" => "male",
            "F" => "female",
            "O" or "A" or "N" => "other",
            "U" => "unknown",
            _ => null,
        };
        if (gender is null) skipped.Add(new LabFileProblem(element.Position, "PID-8 (administrative sex) is not one of F, M, O, U, A or N: the Patient has no gender"));
        return gender;
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
                ?? Hl7v2Codes.NamespaceSystem(authority.Subcomponent(1).Value, labId)
                ?? $"urn:precisionmed:lab:{labId}:patient-id";
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
        if (string.IsNullOrEmpty(labPatientSystem)) return null;
        if (!Uri.TryCreate(labPatientSystem, UriKind.Absolute, out _))
        {
            skipped.Add(new LabFileProblem(list.Position,
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
                skipped.Add(new LabFileProblem(list.Position,
                    "patient numbers of more than one assigning authority without an OID or URI: the lab profile's patientIdentifierSystem "
                    + "could name either, so it is not used and they keep lab-scoped systems"));
                return null;
            }
        }

        return labPatientSystem;
    }

    /// <summary>An identifier the lab profile's system may name: untyped, a medical record number or a patient internal id.</summary>
    private static bool IsLabPatientNumber(string type) =>
        type.Length == 0 || type.Equals("MR", StringComparison.OrdinalIgnoreCase) || type.Equals("PI", StringComparison.OrdinalIgnoreCase);

    public static ReportStatus ReportStatusOf(Hl7v2Segment obr)
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

    public string? DateTimeOf(Hl7v2Segment segment, int field)
    {
        if (!segment.Is("OBR") && !segment.Is("SPM")) return null;
        var element = segment.Field(field).Component(1);
        if (element.IsEmpty) return null;
        var value = Hl7v2Values.ToFhirDateTime(element.Value);
        if (value is null) skipped.Add(new LabFileProblem(element.Position, "not an HL7 date/time (YYYY[MM[DD[HH[MM[SS]]]]][+/-ZZZZ]): not mapped"));
        return value;
    }

    public OrderDetails? OrderOf(Hl7v2Segment obr, Hl7v2Segment orc, CodedValue? code)
    {
        if (!obr.Is("OBR") && !orc.Is("ORC")) return null;
        var (placer, placerSystem) = Hl7v2Codes.ToIdentifier(obr.Is("OBR") && !obr.Field(2).IsEmpty ? obr.Field(2) : orc.Field(2), labId);
        var (filler, fillerSystem) = Hl7v2Codes.ToIdentifier(obr.Is("OBR") && !obr.Field(3).IsEmpty ? obr.Field(3) : orc.Field(3), labId);
        return new OrderDetails(placer, filler, code, placerSystem, fillerSystem);
    }

    public SpecimenDetails? SpecimenOf()
    {
        if (!message.TryGetSegment("SPM", out var spm)) return null;
        var identifier = spm.Field(2).Component(1).Subcomponent(1).Value;
        if (identifier.Length == 0) identifier = spm.Field(2).Component(2).Subcomponent(1).Value;
        return new SpecimenDetails(
            spm.Occurrence.ToString(CultureInfo.InvariantCulture),
            identifier.Length > 0 ? identifier : null,
            Hl7v2Codes.ToCodedValue(spm.Field(4), labId, bareCodeIsText: false),
            DateTimeOf(spm, 17),
            DateTimeOf(spm, 18));
    }
}
