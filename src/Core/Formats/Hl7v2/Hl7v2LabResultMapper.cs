using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>A general-lab OBX row to a LabResult.</summary>
internal static class Hl7v2LabResultMapper
{
    internal static void MapLabResult(Hl7v2ReportAccumulator acc, ObxRow row)
    {
        var code = row.CodeValue;
        if (code is null)
        {
            acc.Skip(row, row.Segment.Field(3), "OBX-3 (observation identifier) has no code or text");
            return;
        }

        var interpretations = new List<CodedValue>();
        var flags = row.Segment.Field(8);
        for (var i = 1; i <= flags.RepetitionCount; i++)
        {
            if (Hl7v2Codes.ToInterpretation(flags.Repetition(i), acc.LabId) is { } flag) interpretations.Add(flag);
        }

        var range = row.Segment.Field(7).Value.Trim();
        var effective = row.Segment.Field(14).Component(1).Value;
        acc.LabResults.Add(new LabResult(
            acc.KeyFor(row),
            code,
            CombinedValue(row),
            row.FhirStatus,
            range.Length > 0 ? range : null,
            interpretations.Count > 0 ? interpretations : null,
            Hl7v2Values.ToFhirDateTime(effective),
            row.Notes.Count > 0 ? [.. row.Notes] : null));
        acc.LabResultRows.Add(row.Occurrence);
        acc.Mapped(row);
    }

    /// <summary>One value for the row: repeated OBX-5 values (lines of text, several answers) are joined so none is lost.</summary>
    internal static ReportedValue? CombinedValue(ObxRow row)
    {
        if (row.Values.Count <= 1) return row.FirstValue;
        if (row.Values.All(v => v is CodedValue))
        {
            var coded = row.Values.Cast<CodedValue>().ToList();
            return new CodedValue([.. coded.SelectMany(c => c.Codings)],
                string.Join("; ", coded.Select(c => c.Text ?? c.Codings.FirstCoding()?.Display ?? c.Codings.FirstCoding()?.Code)));
        }

        var separator = row.ValueType is "TX" or "FT" or "ST" ? "\n" : "; ";
        var field = row.Segment.Field(5);
        var parts = new List<string>(field.RepetitionCount);
        for (var i = 1; i <= field.RepetitionCount; i++) parts.Add(field.Repetition(i).Value);
        return new TextValue(string.Join(separator, parts));
    }
}
