using System.Runtime.InteropServices;

namespace PrecisionMed.Cli.CommandLine;

/// <summary>
/// Paths that are not regular files: a named pipe, a socket, a device. Opening a named pipe to read it waits for a writer,
/// for ever when there is none, and .NET tells none of these from a file (<c>File.Exists</c> is true, the attributes say
/// <c>Normal</c>), so the file type is asked of the system before anything is opened: <c>statx(2)</c> on Linux. Elsewhere
/// the answer is "cannot tell" and the path is read as a file, as before.
/// </summary>
internal static class SpecialFile
{
    private const int AtCurrentDirectory = -100; // AT_FDCWD: a relative path is taken from the working folder
    private const uint StatxType = 0x1; // STATX_TYPE: only the file type is wanted
    private const int FileTypeMask = 0xF000; // S_IFMT

    /// <summary>
    /// What <paramref name="path"/> is (its link's target, for a link) when it is not a regular file: <c>a named pipe</c>,
    /// <c>a socket</c>, <c>a character device</c> or <c>a block device</c>; null for a regular file, a folder, a path that
    /// is not there, or where the system cannot be asked.
    /// </summary>
    public static string? KindOf(string path)
    {
        if (!OperatingSystem.IsLinux()) return null;
        Status status;
        try
        {
            if (Statx(AtCurrentDirectory, path, 0, StatxType, out status) != 0) return null;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return null; // a C library without statx (glibc before 2.28)
        }

        return (status.Mode & FileTypeMask) switch
        {
            0x1000 => "a named pipe",
            0xC000 => "a socket",
            0x2000 => "a character device",
            0x6000 => "a block device",
            _ => null,
        };
    }

    /// <summary>Why a path of <paramref name="kind"/> (<see cref="KindOf"/>) was left unread, in the words every command uses.</summary>
    public static string NotRead(string kind) => $"{kind}, not a regular file; it was not read";

    /// <summary>The regular files among <paramref name="files"/> (a folder's), in order; the others are added to <paramref name="special"/> with what they are.</summary>
    public static List<string> SetAside(IEnumerable<string> files, List<(string Path, string Kind)> special)
    {
        var regular = new List<string>();
        foreach (var file in files)
        {
            if (KindOf(file) is { } kind) special.Add((file, kind));
            else regular.Add(file);
        }

        return regular;
    }

    /// <summary>
    /// <c>struct statx</c>, whose layout is the same on every Linux architecture (unlike <c>struct stat</c>): only
    /// <c>stx_mode</c> is read; the size covers the whole structure the kernel writes.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct Status
    {
        [FieldOffset(28)]
        public ushort Mode;
    }

    [DllImport("libc", EntryPoint = "statx")]
    private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, out Status status);
}
