using System.Globalization;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>An ED or RP OBX row to a ReportDocument.</summary>
internal static class Hl7v2DocumentMapper
{
    internal static bool IsDocument(ObxRow row)
    {
        if (row.ValueType is "ED" or "RP") return true;

        // NWGMSA sends a PDF in OBX-2 CE with an ED-shaped OBX-5 (^source^type^Base64^data).
        var value = row.Segment.Field(5);
        return value.Component(4).Value.Equals("Base64", StringComparison.OrdinalIgnoreCase) && !value.Component(5).IsEmpty;
    }

    internal static void MapDocument(Hl7v2ReportAccumulator acc, ObxRow row)
    {
        var value = row.Segment.Field(5);
        var title = row.CodeValue?.Codings.FirstCoding()?.Display ?? row.CodeValue?.Text;
        if (row.ValueType == "RP")
        {
            var pointer = value.Component(1).Value.Trim();
            if (!Uri.TryCreate(pointer, UriKind.Absolute, out var url))
            {
                acc.Skip(row, value.Component(1), "OBX-5.1 (reference pointer) is not an absolute URL: the document cannot be referenced");
                return;
            }

            acc.Documents.Add(new ReportDocument(acc.KeyFor(row), ContentTypeOf(value.Component(3).Value, value.Component(4).Value), null, url, title, row.CodeValue));
            acc.Mapped(row);
            return;
        }

        var encoding = value.Component(4).Value;
        var data = value.Component(5);
        if (data.IsEmpty)
        {
            acc.Skip(row, data, "OBX-5.5 (encapsulated data) is empty: there is no document to attach");
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
                    acc.Skip(row, data, "OBX-5.5 attachment is not valid base64: the document is not attached");
                    return;
                }

                bytes = buffer[..written];
                incomplete = true;
                acc.Skip(row, data, string.Create(CultureInfo.InvariantCulture,
                    $"OBX-5.5 attachment's base64 is cut short or corrupted after {valid.Length} of {text.Length} characters: the {written} bytes that decode are attached, marked incomplete"));
            }
        }
        else if (encoding.Equals("A", StringComparison.OrdinalIgnoreCase) || encoding.Length == 0)
        {
            bytes = System.Text.Encoding.UTF8.GetBytes(data.Value);
        }
        else
        {
            acc.Skip(row, value.Component(4), "OBX-5.4 (encoding) is neither Base64 nor A (text): the document cannot be decoded");
            return;
        }

        acc.Documents.Add(new ReportDocument(
            acc.KeyFor(row), ContentTypeOf(value.Component(2).Value, value.Component(3).Value), bytes, null, title, row.CodeValue, incomplete));
        if (!incomplete) acc.Mapped(row);
    }

    /// <summary>A MIME type from ED/RP type of data and subtype (<c>IM^PDF</c>, <c>application^pdf</c>, <c>^application/pdf</c>).</summary>
    internal static string ContentTypeOf(string type, string subtype)
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

    /// <summary>The longest prefix of whole base64 quartets made only of base64 characters.</summary>
    internal static string ValidBase64Prefix(string text)
    {
        var end = 0;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '+' or '/')) end++;
        return text[..(end - (end % 4))];
    }
}
