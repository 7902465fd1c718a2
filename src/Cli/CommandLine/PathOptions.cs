using System.CommandLine;
using System.CommandLine.Parsing;

namespace PrecisionMed.Cli.CommandLine;

/// <summary>
/// Checks for options naming a file to read or a folder to write, so that a wrong path is a usage error naming the option,
/// the path and why (System.CommandLine's <c>AcceptExistingOnly</c> lets a folder through as a file, and the runtime's own
/// messages, <c>Access to the path '/tmp' is denied</c>, name neither).
/// </summary>
internal static class PathOptions
{
    /// <summary>
    /// The option must name an existing file that can be read; <paramref name="what"/> is what it should be ("a BED file"),
    /// and <paramref name="contentProblem"/>, when given, says what makes its content unusable (null when nothing does).
    /// </summary>
    public static void AcceptReadableFileOnly(Option<FileInfo> option, string what, Func<string, string?>? contentProblem = null) => option.Validators.Add(result =>
    {
        if (Path(result) is not { } path) return;
        if (Directory.Exists(path)) result.AddError($"{option.Name} {path}: is a folder, not {what}");
        else if (!File.Exists(path)) result.AddError($"{option.Name} {path}: no such file");
        // Before it is opened: opening a named pipe waits for a writer, for ever when there is none.
        else if (SpecialFile.KindOf(path) is { } kind) result.AddError($"{option.Name} {path}: is {kind}, not {what}");
        else if (ReadProblem(path) is { } problem) result.AddError($"{option.Name} {path}: cannot be read ({problem})");
        else if (contentProblem?.Invoke(path) is { } unusable) result.AddError($"{option.Name} {path}: {unusable}");
    });

    /// <summary>The option must name a folder, or a path where one can be made: neither it nor a folder above it may be a file.</summary>
    public static void AcceptFolderOnly(Option<DirectoryInfo> option) => option.Validators.Add(result =>
    {
        if (Path(result) is not { } path) return;
        for (var at = System.IO.Path.GetFullPath(path); !string.IsNullOrEmpty(at); at = System.IO.Path.GetDirectoryName(at))
        {
            if (Directory.Exists(at)) return;
            if (File.Exists(at))
            {
                result.AddError(at == System.IO.Path.GetFullPath(path) ? $"{option.Name} {path}: is a file, not a folder" : $"{option.Name} {path}: {at} is a file, not a folder");
                return;
            }
        }
    });

    /// <summary>Makes the folder an option named, when it is not there yet; null when it is there now, else why not (one line).</summary>
    public static string? CreateProblem(string option, DirectoryInfo folder)
    {
        try
        {
            folder.Create();
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return $"{option} {folder.FullName}: cannot create folder (permission denied)";
        }
        catch (IOException)
        {
            return $"{option} {folder.FullName}: cannot create folder";
        }
    }

    private static string? Path(OptionResult result) =>
        result.Tokens.Count == 1 && !string.IsNullOrWhiteSpace(result.Tokens[0].Value) ? result.Tokens[0].Value : null;

    private static string? ReadProblem(string path)
    {
        try
        {
            using var _ = File.OpenRead(path);
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return "permission denied";
        }
        catch (IOException)
        {
            return "an I/O error";
        }
    }
}
