using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>Walks a message's segments once: OBX rows (with their NTE notes) into the accumulator, unread segments into its skipped list.</summary>
internal static class Hl7v2SegmentWalker
{
    internal static readonly HashSet<string> MappedSegments = new(StringComparer.Ordinal) { "MSH", "PID", "ORC", "OBR", "OBX", "NTE", "SPM" };

    /// <summary>Collects OBX rows and NTE notes; accounts for every segment that is not read.</summary>
    internal static void WalkSegments(Hl7v2ReportAccumulator acc, Hl7v2Message message, IReadOnlyDictionary<string, string>? localCodes)
    {
        var obrIndex = 0;
        ObxRow? lastRow = null;
        var firstOrc = true;
        var firstSpm = true;

        // Most of a result message's segments are OBX rows: sized once, the lists do not grow row by row.
        acc.Rows.EnsureCapacity(message.SegmentCount);
        acc.MappedRows.EnsureCapacity(message.SegmentCount);
        foreach (var segment in message.Segments())
        {
            var id = segment.Id;
            switch (id)
            {
                case "MSH" or "PID":
                    break;
                case "ORC":
                    if (!firstOrc) acc.Skip(segment, "only the first ORC is the report's order; results under the others are still mapped");
                    firstOrc = false;
                    break;
                case "OBR":
                    if (++obrIndex > 1) acc.Skip(segment, "only the first OBR is the report's order; results under the others are still mapped");
                    lastRow = null;
                    break;
                case "SPM":
                    if (!firstSpm) acc.Skip(segment, "only the first SPM is mapped as the report's specimen");
                    firstSpm = false;
                    break;
                case "NTE":
                    var comment = NoteOf(segment);
                    if (comment is null) break;
                    if (lastRow is not null) lastRow.AddNote(comment);
                    else acc.Notes.Add(comment);
                    break;
                case "OBX":
                    lastRow = new ObxRow(segment, Math.Max(obrIndex, 1), acc.LabId, localCodes);
                    acc.Rows.Add(lastRow);
                    foreach (var repetition in lastRow.TextNumbers)
                    {
                        acc.Skipped.Add(new LabFileProblem(segment.Field(5).Repetition(repetition).Position,
                            "OBX-5 (observation value) is not a number though OBX-2 says NM (numeric): it is read as text"));
                    }

                    break;
                default:
                    acc.Skip(segment, segment.IsZSegment
                        ? "Z-segment (site-defined): its content is not mapped"
                        : $"{id} segments are not mapped to the report");
                    break;
            }

            if (!MappedSegments.Contains(id)) lastRow = id is "PRT" or "TCD" or "SID" ? lastRow : null;
        }
    }

    internal static string? NoteOf(Hl7v2Segment nte)
    {
        var field = nte.Field(3);
        var lines = new List<string>(field.RepetitionCount);
        for (var i = 1; i <= field.RepetitionCount; i++) lines.Add(field.Repetition(i).Value);
        var text = string.Join('\n', lines).Trim();
        return text.Length > 0 ? text : null;
    }
}
