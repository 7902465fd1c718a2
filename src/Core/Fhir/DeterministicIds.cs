using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PrecisionMed.Core.Fhir;

/// <summary>
/// Ids for the resources the pipeline owns, derived from what the resource is rather than when it
/// was made: (lab, report accession, resource kind, natural key). Re-delivery, re-drop and
/// amendments therefore converge on the same resources (docs/design.md, "Contracts").
/// </summary>
/// <remarks>
/// The id is a UUID laid out from SHA-256 of the parts (version nibble 8, "custom", RFC 9562), so it
/// is a valid FHIR id (<c>[A-Za-z0-9\-\.]{1,64}</c>) and also a real UUID for <c>urn:uuid:</c> full URLs.
/// Parts are length-prefixed so ("ab","c") and ("a","bc") differ.
/// </remarks>
public static class DeterministicIds
{
    [ThreadStatic]
    private static IncrementalHash? ThreadHash;

    /// <summary>The id of a resource owned by one report.</summary>
    public static string ForReportResource(string labId, string accession, string resourceType, string naturalKey) =>
        Create("report-resource", labId, accession, resourceType, naturalKey);

    /// <summary>The id of a lab-level resource shared by the lab's reports (its Organization, Practitioners).</summary>
    public static string ForLabResource(string labId, string resourceType, string naturalKey) =>
        Create("lab-resource", labId, resourceType, naturalKey);

    /// <summary><see cref="ForReportResource"/> as a <see cref="Guid"/>, for a writer that formats it without a string.</summary>
    public static Guid ForReportResourceGuid(string labId, string accession, string resourceType, string naturalKey) =>
        CreateGuid("report-resource", labId, accession, resourceType, naturalKey);

    /// <summary>A stable UUID for any ordered list of parts.</summary>
    public static string Create(params ReadOnlySpan<string> parts) => CreateGuid(parts).ToString("D");

    /// <summary><see cref="Create"/> as a <see cref="Guid"/>.</summary>
    public static Guid CreateGuid(params ReadOnlySpan<string> parts)
    {
        // Hashes the UTF-8 of "len:part|len:part|..." (len in UTF-16 code units, as the ids have always been made).
        var max = 0;
        foreach (var part in parts) max += 12 + Encoding.UTF8.GetMaxByteCount(part.Length);
        byte[]? rented = null;
        Span<byte> buffer = max <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(max));
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        try
        {
            var written = 0;
            foreach (var part in parts)
            {
                part.Length.TryFormat(buffer[written..], out var digits, default, CultureInfo.InvariantCulture);
                written += digits;
                buffer[written++] = (byte)':';
                written += Encoding.UTF8.GetBytes(part, buffer[written..]);
                buffer[written++] = (byte)'|';
            }

            // One reusable hash per thread: the one-shot SHA256.HashData sets up (and on OpenSSL 3 fetches) a digest
            // context per call, which was most of an id's cost, and its locks made two ingest threads wait on each other.
            var sha = ThreadHash ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            sha.AppendData(buffer[..written]);
            sha.GetHashAndReset(hash);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }

        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
