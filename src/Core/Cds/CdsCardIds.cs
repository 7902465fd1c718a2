using System.Security.Cryptography;
using System.Text;

namespace PrecisionMed.Core.Cds;

/// <summary>
/// Card kinds, for the feedback counts: the kind is carried inside the card's UUID (its last byte), so feedback, which
/// names only the card's UUID, is counted by kind without the service storing the cards it gave.
/// </summary>
public enum CdsCardKind : byte
{
    Unknown = 0,
    PgxAvoid = 1,
    PgxChange = 2,
    PgxInfo = 3,
    PgxPreTest = 4,
    PgxIncomplete = 5,
    DuplicateGeneticTest = 6,
    DuplicateDraftOrder = 7,
}

/// <summary>Deterministic UUIDs: the same call (hook instance, service, order, what was said) gives the same card UUID.</summary>
public static class CdsCardIds
{
    public static string For(CdsCardKind kind, params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts)));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8: custom
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        bytes[15] = (byte)kind;
        return new Guid(bytes, bigEndian: true).ToString();
    }

    public static CdsCardKind KindOf(string uuid)
    {
        if (!Guid.TryParse(uuid, out var guid)) return CdsCardKind.Unknown;
        var bytes = guid.ToByteArray(bigEndian: true);
        var kind = (CdsCardKind)bytes[15];
        return (bytes[6] & 0xF0) == 0x80 && Enum.IsDefined(kind) ? kind : CdsCardKind.Unknown;
    }
}
