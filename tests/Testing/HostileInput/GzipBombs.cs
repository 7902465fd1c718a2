using System.IO.Compression;

namespace PrecisionMed.Testing.HostileInput;

/// <summary>
/// Gzip bombs for the limits tests (also compiled into Core.Tests, which does not reference this project's emulators).
/// </summary>
public static class GzipBombs
{
    /// <summary>
    /// A VCF's first line, then 1 GiB of zeros, as 64 concatenated gzip members of 16 MiB each (gzip readers, and BGZF,
    /// read members one after another): about 1 MiB in all, and the same inflated bytes as one member, made in a
    /// fraction of the time. Detected as VCF, so intake must inflate it to read the header.
    /// </summary>
    public static byte[] OneGibibyteOfZerosAfterAVcfHeader()
    {
        var zeros = Gzip(new byte[16 * 1024 * 1024]);
        using var bomb = new MemoryStream();
        bomb.Write(Gzip("##fileformat=VCFv4.2\n"u8.ToArray()));
        for (var i = 0; i < 64; i++) bomb.Write(zeros);
        return bomb.ToArray();
    }

    public static byte[] Gzip(byte[] content)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true)) gzip.Write(content);
        return compressed.ToArray();
    }
}
