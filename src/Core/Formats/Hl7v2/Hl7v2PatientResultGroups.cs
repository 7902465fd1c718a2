using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>
/// An ORU^R01 may repeat its PATIENT_RESULT group, each with its own PID. A message is read as one patient's report, so a
/// later PID must name the same patient as the first. Lab systems write the same patient differently (an assigning authority
/// with or without its OID, a birth date to the day or to the minute, a further identifier such as the SSN beside the MRN),
/// so two PIDs name the same patient when they share an identifier (PID-3, else PID-2, as the report's patient is read) and
/// say nothing different: no other value for an identifier of the same authority and type, and no other family name, birth
/// date (to the precision both give, at most the day) or sex (unknown aside) where both say one. Another patient's PID stops
/// the message, so its results are never written under the first patient; a PID repeating the first patient is listed and
/// read once.
/// </summary>
internal static class Hl7v2PatientResultGroups
{
    /// <exception cref="LabFileRejectedException">A later PID names another patient than <paramref name="first"/>.</exception>
    public static void EnsureOnePatient(Hl7v2Message message, Hl7v2Segment first, List<LabFileProblem> skipped)
    {
        var identifiers = IdentifiersOf(first);
        foreach (var pid in message.Segments("PID"))
        {
            if (pid.Index == first.Index) continue;
            var others = IdentifiersOf(pid);
            if (!SharesAnIdentifier(identifiers, others) || ConflictsOnAnIdentifier(identifiers, others) || ConflictsOnAnIdentifier(others, identifiers)
                || Differs(first, pid, 5) || BirthDatesDiffer(first, pid) || SexesDiffer(first, pid))
            {
                throw new LabFileRejectedException(pid.Field(3).Position,
                    "this PID starts a further PATIENT_RESULT group whose patient differs from the first PID's (identifiers, family name, "
                    + "birth date or sex): the message holds results for more than one patient, and a message is read as one "
                    + "patient's report, so none of it is written; the lab can send each patient's results in a message of its own");
            }

            skipped.Add(new LabFileProblem(pid.Position, "a further PID names the same patient as the first: its results are read under that patient"));
        }
    }

    /// <summary>One CX repetition with a value: CX-1, the assigning authority's namespace id and universal id (CX-4.1, 4.2), CX-5.</summary>
    private sealed record Identifier(string Value, string Namespace, string UniversalId, string Type)
    {
        public bool HasAuthority => Namespace.Length > 0 || UniversalId.Length > 0;
    }

    /// <summary>The CX repetitions that carry a value, from PID-3, else PID-2 (as <c>Hl7v2HeaderMapper.MapPatient</c> reads them).</summary>
    private static List<Identifier> IdentifiersOf(Hl7v2Segment pid)
    {
        var identifiers = Read(pid.Field(3));
        return identifiers.Count > 0 ? identifiers : Read(pid.Field(2));

        static List<Identifier> Read(Hl7v2Element list)
        {
            var identifiers = new List<Identifier>();
            for (var i = 1; i <= list.RepetitionCount; i++)
            {
                var cx = list.Repetition(i);
                var value = cx.Component(1).Value.Trim();
                if (value.Length == 0) continue;
                var authority = cx.Component(4);
                identifiers.Add(new Identifier(value, authority.Subcomponent(1).Value.Trim(), authority.Subcomponent(2).Value.Trim(),
                    cx.Component(5).Value.Trim()));
            }

            return identifiers;
        }
    }

    /// <summary>Whether both name the same assigning authority: their namespace ids or their universal ids agree.</summary>
    private static bool SameAuthority(Identifier a, Identifier b) =>
        (a.Namespace.Length > 0 && a.Namespace.Equals(b.Namespace, StringComparison.OrdinalIgnoreCase))
        || (a.UniversalId.Length > 0 && a.UniversalId.Equals(b.UniversalId, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Whether one identifier is in both lists: the same value (case-sensitive) under the same assigning authority, or with
    /// no authority on either side; the identifier type may differ or be absent.
    /// </summary>
    private static bool SharesAnIdentifier(List<Identifier> first, List<Identifier> other) =>
        first.Any(a => other.Any(b => a.Value.Equals(b.Value, StringComparison.Ordinal)
            && (!a.HasAuthority || !b.HasAuthority || SameAuthority(a, b))));

    /// <summary>
    /// Whether <paramref name="other"/> holds an identifier that <paramref name="first"/> numbers otherwise: <paramref name="first"/>
    /// has identifiers of its authority and type (both given and the same, or both absent) and none of them has its value.
    /// </summary>
    private static bool ConflictsOnAnIdentifier(List<Identifier> first, List<Identifier> other) =>
        other.Any(b =>
        {
            var sameKind = first.Where(a => SameKind(a, b)).ToList();
            return sameKind.Count > 0 && !sameKind.Any(a => a.Value.Equals(b.Value, StringComparison.Ordinal));
        });

    private static bool SameKind(Identifier a, Identifier b) =>
        (a.HasAuthority ? b.HasAuthority && SameAuthority(a, b) : !b.HasAuthority)
        && a.Type.Equals(b.Type, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether both PIDs give the field's first component (and subcomponent) and they differ.</summary>
    private static bool Differs(Hl7v2Segment first, Hl7v2Segment other, int field)
    {
        var a = FirstValue(first, field);
        var b = FirstValue(other, field);
        return a.Length > 0 && b.Length > 0 && !a.Equals(b, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Whether both PIDs give a birth date (PID-7) and they differ on the date: the digits they start with, at most 8
    /// (YYYYMMDD), compared to the shorter precision (1970 and 19700101 agree; a time or zone is not compared). A value
    /// that starts with no digit is compared whole, as before.
    /// </summary>
    private static bool BirthDatesDiffer(Hl7v2Segment first, Hl7v2Segment other)
    {
        var a = FirstValue(first, 7);
        var b = FirstValue(other, 7);
        if (a.Length == 0 || b.Length == 0) return false;
        var dateA = DatePart(a);
        var dateB = DatePart(b);
        if (dateA.Length == 0 || dateB.Length == 0) return !a.Equals(b, StringComparison.OrdinalIgnoreCase);
        var length = Math.Min(dateA.Length, dateB.Length);
        return !dateA.AsSpan(0, length).SequenceEqual(dateB.AsSpan(0, length));

        static string DatePart(string value)
        {
            var digits = 0;
            while (digits < value.Length && digits < 8 && char.IsAsciiDigit(value[digits])) digits++;
            return value[..digits];
        }
    }

    /// <summary>Whether both PIDs give a sex (PID-8) other than U (unknown) and they differ.</summary>
    private static bool SexesDiffer(Hl7v2Segment first, Hl7v2Segment other)
    {
        var a = FirstValue(first, 8);
        var b = FirstValue(other, 8);
        return !a.Equals("U", StringComparison.OrdinalIgnoreCase) && !b.Equals("U", StringComparison.OrdinalIgnoreCase) && Differs(first, other, 8);
    }

    private static string FirstValue(Hl7v2Segment pid, int field) => pid.Field(field).Component(1).Subcomponent(1).Value.Trim();
}
