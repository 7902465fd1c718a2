using System.Globalization;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Hl7v2;

public sealed partial class Hl7v2ReportMapper
{
    private readonly List<LabResult> _labResults = [];
    private readonly List<ReportDocument> _documents = [];
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly HashSet<int> _labResultRows = [];

    /// <summary>Sorts OBX rows: empty OBX-3 skipped, ED/RP to documents, panel items to findings, the rest to lab results.</summary>
    private void MapObservationRows()
    {
        var genomic = new List<ObxRow>();
        foreach (var row in _rows)
        {
            var identifier = row.Segment.Field(3);
            if (identifier.Component(1).IsEmpty && identifier.Component(2).IsEmpty && identifier.Component(4).IsEmpty)
                Skip(row, identifier, "OBX-3 (observation identifier) is empty: the value cannot be told what it is");
            else if (IsDocument(row))
                MapDocument(row);
            else if (row.IsGenomic)
                genomic.Add(row);
            else
                MapLabResult(row);
        }

        MapGenomicGroups(genomic);

        // Notes under rows that did not become lab results still belong to the report.
        foreach (var row in _rows)
        {
            if (row.Notes.Count > 0 && !_labResultRows.Contains(row.Occurrence)) _notes.AddRange(row.Notes);
        }
    }

    private static bool IsDocument(ObxRow row)
    {
        if (row.ValueType is "ED" or "RP") return true;

        // NWGMSA sends a PDF in OBX-2 CE with an ED-shaped OBX-5 (^source^type^Base64^data).
        var value = row.Segment.Field(5);
        return value.Component(4).Value.Equals("Base64", StringComparison.OrdinalIgnoreCase) && !value.Component(5).IsEmpty;
    }

    private void MapDocument(ObxRow row)
    {
        var value = row.Segment.Field(5);
        var title = row.CodeValue?.Codings.FirstCoding()?.Display ?? row.CodeValue?.Text;
        if (row.ValueType == "RP")
        {
            var pointer = value.Component(1).Value.Trim();
            if (!Uri.TryCreate(pointer, UriKind.Absolute, out var url))
            {
                Skip(row, value.Component(1), "OBX-5.1 (reference pointer) is not an absolute URL: the document cannot be referenced");
                return;
            }

            _documents.Add(new ReportDocument(KeyFor(row), ContentTypeOf(value.Component(3).Value, value.Component(4).Value), null, url, title, row.CodeValue));
            Mapped(row);
            return;
        }

        var encoding = value.Component(4).Value;
        var data = value.Component(5);
        if (data.IsEmpty)
        {
            Skip(row, data, "OBX-5.5 (encapsulated data) is empty: there is no document to attach");
            return;
        }

        byte[] bytes;
        var incomplete = false;
        if (encoding.Equals("Base64", StringComparison.OrdinalIgnoreCase))
        {
            var text = data.Value;
            var buffer = new byte[text.Length * 3 / 4 + 3];
            if (Convert.TryFromBase64String(text, buffer, out var written))
            {
                bytes = buffer[..written];
            }
            else
            {
                // A report cut short in transit (or in a published sample) still says something: attach
                // what decodes, mark the document incomplete, and account for the loss.
                var valid = ValidBase64Prefix(text);
                if (valid.Length == 0 || !Convert.TryFromBase64String(valid, buffer, out written))
                {
                    Skip(row, data, "OBX-5.5 attachment is not valid base64: the document is not attached");
                    return;
                }

                bytes = buffer[..written];
                incomplete = true;
                Skip(row, data, string.Create(CultureInfo.InvariantCulture,
                    $"OBX-5.5 attachment's base64 is cut short or corrupted after {valid.Length} of {text.Length} characters: the {written} bytes that decode are attached, marked incomplete"));
            }
        }
        else if (encoding.Equals("A", StringComparison.OrdinalIgnoreCase) || encoding.Length == 0)
        {
            bytes = System.Text.Encoding.UTF8.GetBytes(data.Value);
        }
        else
        {
            Skip(row, value.Component(4), "OBX-5.4 (encoding) is neither Base64 nor A (text): the document cannot be decoded");
            return;
        }

        _documents.Add(new ReportDocument(
            KeyFor(row), ContentTypeOf(value.Component(2).Value, value.Component(3).Value), bytes, null, title, row.CodeValue, incomplete));
        if (!incomplete) Mapped(row);
    }

    /// <summary>A MIME type from ED/RP type of data and subtype (<c>IM^PDF</c>, <c>application^pdf</c>, <c>^application/pdf</c>).</summary>
    private static string ContentTypeOf(string type, string subtype)
    {
        if (subtype.Contains('/', StringComparison.Ordinal)) return subtype.Trim().ToLowerInvariant();
        if (type.Contains('/', StringComparison.Ordinal)) return type.Trim().ToLowerInvariant();
        var sub = subtype.Trim().ToUpperInvariant();
        switch (sub)
        {
            case "PDF": return "application/pdf";
            case "RTF": return "application/rtf";
            case "HTML": return "text/html";
            case "XML": return "application/xml";
            case "JPEG" or "JPG": return "image/jpeg";
            case "PNG": return "image/png";
            case "TIFF": return "image/tiff";
        }

        var main = type.Trim().ToLowerInvariant();
        return main is "application" or "image" or "text" or "audio" or "video" && sub.Length > 0
            ? $"{main}/{sub.ToLowerInvariant()}"
            : "application/octet-stream";
    }

    private void MapLabResult(ObxRow row)
    {
        var code = row.CodeValue;
        if (code is null)
        {
            Skip(row, row.Segment.Field(3), "OBX-3 (observation identifier) has no code or text");
            return;
        }

        var interpretations = new List<CodedValue>();
        var flags = row.Segment.Field(8);
        for (var i = 1; i <= flags.RepetitionCount; i++)
        {
            if (Hl7v2Codes.ToInterpretation(flags.Repetition(i), _labId) is { } flag) interpretations.Add(flag);
        }

        var range = row.Segment.Field(7).Value.Trim();
        var effective = row.Segment.Field(14).Component(1).Value;
        _labResults.Add(new LabResult(
            KeyFor(row),
            code,
            CombinedValue(row),
            row.FhirStatus,
            range.Length > 0 ? range : null,
            interpretations.Count > 0 ? interpretations : null,
            Hl7v2Values.ToFhirDateTime(effective),
            row.Notes.Count > 0 ? [.. row.Notes] : null));
        _labResultRows.Add(row.Occurrence);
        Mapped(row);
    }

    /// <summary>One value for the row: repeated OBX-5 values (lines of text, several answers) are joined so none is lost.</summary>
    private static ReportedValue? CombinedValue(ObxRow row)
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

    /// <summary>A key stable across resends of the same report: OBR, code and OBX-4 sub-ID (never the row's position).</summary>
    private string KeyFor(ObxRow row)
    {
        var code = row.Code.Length > 0 ? row.Code : "text";
        var key = row.SubId.Length > 0 ? $"{code}-{row.SubId}" : code;
        if (row.ObrIndex > 1) key = string.Create(CultureInfo.InvariantCulture, $"obr{row.ObrIndex}-{key}");
        var unique = key;
        for (var n = 2; !_keys.Add(unique); n++) unique = string.Create(CultureInfo.InvariantCulture, $"{key}#{n}");
        return unique;
    }

    /// <summary>The longest prefix of whole base64 quartets made only of base64 characters.</summary>
    private static string ValidBase64Prefix(string text)
    {
        var end = 0;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '+' or '/')) end++;
        return text[..(end - (end % 4))];
    }
}
