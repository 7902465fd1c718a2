using System.Buffers;
using System.Text;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>
/// Decodes HL7 v2 escape sequences (v2.5.1 section 2.7) while turning a value into text:
/// <c>\F\ \S\ \T\ \R\ \E\</c> (the delimiters), <c>\P\</c> (truncation, v2.7+), <c>\Xhh..\</c>
/// (bytes in hex), <c>\.br\ \.sp\ \.ce\</c> (line breaks). Highlighting (<c>\H\ \N\</c>), character
/// set switches (<c>\C..\ \M..\</c>) and other formatting commands carry no text and are dropped.
/// Anything else, or an escape that is never closed, is kept as sent so nothing is lost.
/// </summary>
internal static class Hl7v2Escapes
{
    private const int StackLimit = 256;

    public static string Decode(ReadOnlySpan<byte> raw, Hl7v2Delimiters delimiters, Encoding text)
    {
        var escape = delimiters.EscapeByte;
        var first = raw.IndexOf(escape);
        if (first < 0) return text.GetString(raw);

        // Every sequence decodes to no more bytes than it takes, so the raw length is enough room.
        byte[]? rented = null;
        var buffer = raw.Length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(raw.Length));
        try
        {
            var written = 0;
            var rest = raw;
            var next = first;
            while (next >= 0)
            {
                rest[..next].CopyTo(buffer[written..]);
                written += next;
                rest = rest[(next + 1)..];

                var close = rest.IndexOf(escape);
                if (close < 0)
                {
                    buffer[written++] = escape;
                    break;
                }

                var sequence = rest[..close];
                var decoded = DecodeSequence(sequence, delimiters, buffer[written..]);
                if (decoded < 0)
                {
                    buffer[written++] = escape;
                    sequence.CopyTo(buffer[written..]);
                    written += sequence.Length;
                    buffer[written++] = escape;
                }
                else
                {
                    written += decoded;
                }

                rest = rest[(close + 1)..];
                next = rest.IndexOf(escape);
            }

            rest.CopyTo(buffer[written..]);
            written += rest.Length;
            return text.GetString(buffer[..written]);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Writes what a sequence (between the escape characters) stands for; -1 when it is not one.</summary>
    private static int DecodeSequence(ReadOnlySpan<byte> sequence, Hl7v2Delimiters delimiters, Span<byte> output)
    {
        if (sequence.IsEmpty) return -1;
        if (sequence.Length == 1)
        {
            var single = sequence[0] switch
            {
                (byte)'F' => delimiters.FieldByte,
                (byte)'S' => delimiters.ComponentByte,
                (byte)'T' => delimiters.SubcomponentByte,
                (byte)'R' => delimiters.RepetitionByte,
                (byte)'E' => delimiters.EscapeByte,
                (byte)'P' when delimiters.Truncation is { } truncation => (byte)truncation,
                (byte)'H' or (byte)'N' => (byte)0,
                _ => (byte)1,
            };
            if (single == 0) return 0;
            if (single == 1) return -1;
            output[0] = single;
            return 1;
        }

        switch (sequence[0])
        {
            case (byte)'X':
                return DecodeHex(sequence[1..], output);
            case (byte)'C' or (byte)'M' when IsHex(sequence[1..]):
                return 0;
            case (byte)'.':
                var command = sequence[1..];
                if (command.StartsWith("br"u8) || command.StartsWith("sp"u8) || command.StartsWith("ce"u8))
                {
                    output[0] = (byte)'\n';
                    return 1;
                }

                return command.StartsWith("in"u8) || command.StartsWith("ti"u8) || command.StartsWith("sk"u8)
                    || command.SequenceEqual("fi"u8) || command.SequenceEqual("nf"u8)
                    ? 0
                    : -1;
            default:
                return -1;
        }
    }

    private static int DecodeHex(ReadOnlySpan<byte> hex, Span<byte> output)
    {
        if (hex.Length % 2 != 0 || !IsHex(hex)) return -1;
        for (var i = 0; i < hex.Length / 2; i++)
            output[i] = (byte)((HexValue(hex[2 * i]) << 4) | HexValue(hex[(2 * i) + 1]));
        return hex.Length / 2;
    }

    private static bool IsHex(ReadOnlySpan<byte> span) => span.IndexOfAnyExcept(HexDigits) < 0;

    private static readonly SearchValues<byte> HexDigits = SearchValues.Create("0123456789ABCDEFabcdef"u8);

    private static int HexValue(byte digit) => digit switch
    {
        <= (byte)'9' => digit - '0',
        <= (byte)'F' => digit - 'A' + 10,
        _ => digit - 'a' + 10,
    };
}
