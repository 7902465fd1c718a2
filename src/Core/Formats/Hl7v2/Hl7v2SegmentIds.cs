using System.Collections.Frozen;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>
/// Segment ids packed into an int (three ASCII bytes), so finding segments by id compares integers
/// and naming the common ones allocates nothing.
/// </summary>
internal static class Hl7v2SegmentIds
{
    public static readonly int Msh = KeyOf("MSH"u8);
    public static readonly int Fhs = KeyOf("FHS"u8);
    public static readonly int Fts = KeyOf("FTS"u8);
    public static readonly int Bhs = KeyOf("BHS"u8);
    public static readonly int Bts = KeyOf("BTS"u8);

    private static readonly FrozenDictionary<int, string> Known = new[]
    {
        "MSH", "SFT", "UAC", "PID", "PD1", "NK1", "NTE", "PV1", "PV2", "ORC", "OBR", "OBX", "SPM", "TQ1", "TQ2",
        "TXA", "PRT", "CTD", "CTI", "FT1", "ROL", "AL1", "DG1", "IN1", "GT1", "EVN", "FHS", "FTS", "BHS", "BTS",
    }.ToFrozenDictionary(id => KeyOf(id), id => id);

    public static int KeyOf(ReadOnlySpan<byte> id) => id[0] | (id[1] << 8) | (id[2] << 16);

    public static int KeyOf(string id)
    {
        if (id.Length != 3 || !char.IsAscii(id[0]) || !char.IsAscii(id[1]) || !char.IsAscii(id[2]))
            throw new ArgumentException("A segment id is three ASCII characters, e.g. OBX.", nameof(id));
        return id[0] | (id[1] << 8) | (id[2] << 16);
    }

    public static string NameOf(int key) =>
        Known.TryGetValue(key, out var name)
            ? name
            : string.Create(3, key, static (chars, k) =>
            {
                chars[0] = (char)(k & 0xFF);
                chars[1] = (char)((k >> 8) & 0xFF);
                chars[2] = (char)((k >> 16) & 0xFF);
            });

    /// <summary>Three uppercase letters or digits: the only segment ids the standard allows.</summary>
    public static bool IsValid(ReadOnlySpan<byte> segment) =>
        segment.Length >= 3 && IsIdByte(segment[0]) && IsIdByte(segment[1]) && IsIdByte(segment[2]);

    /// <summary>True when the segment starts with the id, followed by nothing or a non-alphanumeric separator.</summary>
    public static bool Starts(ReadOnlySpan<byte> segment, ReadOnlySpan<byte> id) =>
        segment.StartsWith(id) && (segment.Length == 3 || !char.IsAsciiLetterOrDigit((char)segment[3]));

    private static bool IsIdByte(byte b) => b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9');
}
