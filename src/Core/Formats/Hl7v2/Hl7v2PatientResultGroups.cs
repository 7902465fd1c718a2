using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>
/// An ORU^R01 may repeat its PATIENT_RESULT group, each with its own PID. A message is read as one patient's report, so a
/// later PID must name the same patient as the first: the same identifiers (PID-3, else PID-2, as the report's patient is
/// read) and no other family name, birth date or sex where both say one. Another patient's PID stops the message, so its
/// results are never written under the first patient; a PID repeating the first patient is listed and read once.
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
            if (!identifiers.SetEquals(IdentifiersOf(pid)) || Differs(first, pid, 5) || Differs(first, pid, 7) || Differs(first, pid, 8))
            {
                throw new LabFileRejectedException(pid.Field(3).Position,
                    "this PID starts a further PATIENT_RESULT group whose patient differs from the first PID's (identifiers, family name, "
                    + "birth date or sex): the message holds results for more than one patient, and a message is read as one "
                    + "patient's report, so none of it is written; the lab can send each patient's results in a message of its own");
            }

            skipped.Add(new LabFileProblem(pid.Position, "a further PID names the same patient as the first: its results are read under that patient"));
        }
    }

    /// <summary>The CX repetitions that carry a value (id, assigning authority, type), from PID-3, else PID-2.</summary>
    private static HashSet<(string Value, string Authority, string Type)> IdentifiersOf(Hl7v2Segment pid)
    {
        var identifiers = Read(pid.Field(3));
        return identifiers.Count > 0 ? identifiers : Read(pid.Field(2));

        static HashSet<(string, string, string)> Read(Hl7v2Element list)
        {
            var set = new HashSet<(string, string, string)>();
            for (var i = 1; i <= list.RepetitionCount; i++)
            {
                var cx = list.Repetition(i);
                var value = cx.Component(1).Value.Trim();
                if (value.Length > 0) set.Add((value, cx.Component(4).Value.Trim(), cx.Component(5).Value.Trim()));
            }

            return set;
        }
    }

    /// <summary>Whether both PIDs give the field's first component (and subcomponent) and they differ.</summary>
    private static bool Differs(Hl7v2Segment first, Hl7v2Segment other, int field)
    {
        var a = first.Field(field).Component(1).Subcomponent(1).Value.Trim();
        var b = other.Field(field).Component(1).Subcomponent(1).Value.Trim();
        return a.Length > 0 && b.Length > 0 && !a.Equals(b, StringComparison.OrdinalIgnoreCase);
    }
}
