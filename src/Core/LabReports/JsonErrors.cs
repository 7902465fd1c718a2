using System.Globalization;
using System.Text.Json;

namespace PrecisionMed.Core.LabReports;

/// <summary>
/// A System.Text.Json error as a file's reader reports it: the reason without the reader's trailer
/// (<c>Path: $ | LineNumber: 0 | BytePositionInLine: 23475.</c>), and the position counted from one, as people count.
/// </summary>
public static class JsonErrors
{
    /// <summary><c>'x' is an invalid start of a value</c> for <c>'x' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 0.</c></summary>
    public static string Reason(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message;
        foreach (var trailer in new[] { " Path:", " LineNumber:" })
        {
            var cut = message.IndexOf(trailer, StringComparison.Ordinal);
            if (cut >= 0) message = message[..cut];
        }

        return message.TrimEnd().TrimEnd('.');
    }

    /// <summary><c>line 1, byte 23476</c> (one-based); <c>unknown position</c> when the reader gave none.</summary>
    public static string Position(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.LineNumber is not { } line) return "unknown position";
        return exception.BytePositionInLine is { } column
            ? string.Create(CultureInfo.InvariantCulture, $"line {line + 1}, byte {column + 1}")
            : string.Create(CultureInfo.InvariantCulture, $"line {line + 1}");
    }
}
