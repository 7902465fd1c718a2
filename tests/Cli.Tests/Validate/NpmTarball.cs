using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace PrecisionMed.Cli.Tests.Validate;

/// <summary>Packs an unpacked npm package folder back into a .tgz the way npm lays one out (every file under package/).</summary>
internal static class NpmTarball
{
    public static byte[] Pack(string packageFolder)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var file in Directory.EnumerateFiles(packageFolder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var name = "package/" + Path.GetRelativePath(packageFolder, file).Replace(Path.DirectorySeparatorChar, '/');
                tar.WriteEntry(file, name);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>npm's integrity string for <paramref name="tarball"/>.</summary>
    public static string Integrity(byte[] tarball) => "sha512-" + Convert.ToBase64String(SHA512.HashData(tarball));
}
