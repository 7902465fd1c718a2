using System.Security.Cryptography;
using PrecisionMed.Core.Pipeline;

namespace PrecisionMed.Functions.Tests.EndToEnd;

/// <summary>Where the pipeline keeps a file's original, by its content: the path inside each area's container.</summary>
internal static class Originals
{
    public static string Hash(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public static string Archived(string lab, byte[] content, string name) => LabFileOriginals.Archived(lab, Hash(content), name).Path;

    public static string Rejected(string lab, byte[] content, string name) => LabFileOriginals.Rejected(lab, Hash(content), name).Path;

    public static string InReview(string lab, byte[] content, string name) => LabFileOriginals.InReview(lab, Hash(content), name).Path;

    public static string UnitErrorReport(string lab, byte[] content, string name, int unitIndex) =>
        LabFileOriginals.UnitErrorReport(lab, Hash(content), name, unitIndex).Path;
}
