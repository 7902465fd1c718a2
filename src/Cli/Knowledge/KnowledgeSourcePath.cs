using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Core.Knowledge.Import;

namespace PrecisionMed.Cli.Knowledge;

/// <summary>A source named on the command line: one file, or for a set source (guidelines, alerts) a folder or zip.</summary>
internal static class KnowledgeSourcePath
{
    /// <summary>Null when the path can be read as the source, else why not (one line, the path named).</summary>
    /// <param name="argument">The command-line argument that named it, for an empty one (which names no path to show).</param>
    public static string? Problem(KnowledgeSource source, string path, string argument)
    {
        // An empty or blank path is no file name at all (and would make DirectoryInfo throw): a usage error naming the argument.
        if (string.IsNullOrWhiteSpace(path)) return $"{argument}: empty; name a file{(KnowledgeSources.IsSet(source) ? ", folder or zip" : string.Empty)}";
        var folder = new DirectoryInfo(path);
        var file = new FileInfo(path);
        if (file.Exists || (folder.Exists && KnowledgeSources.IsSet(source))) return null;
        return folder.Exists
            ? $"{folder.FullName}: a folder, but {KnowledgeSources.NameOf(source)} is one file"
            : $"{file.FullName}: no such file";
    }

    /// <summary>
    /// Null when the path named is a file, a folder or not there, else why it is not read (a named pipe, a socket, a device:
    /// opening a named pipe waits for a writer, for ever when there is none). The command rejects it unread.
    /// </summary>
    public static string? NotRegular(string path) =>
        SpecialFile.KindOf(path) is { } kind ? $"{Path.GetFullPath(path)}: rejected: {SpecialFile.NotRead(kind)}" : null;

    /// <param name="skipped">Told each file of a folder that is not a regular file (a named pipe, a socket, a device): left unread.</param>
    public static async Task<ImportResult> ImportAsync(
        KnowledgeImporter importer, KnowledgeSource source, string path, int concurrency, IProgress<ImportProgress>? progress, Func<string, Task> skipped,
        CancellationToken cancellationToken)
    {
        var folder = new DirectoryInfo(path);
        if (folder.Exists) return await importer.ImportSetAsync(source, await RegularFilesAsync(folder, skipped), folder.Name, concurrency, progress, cancellationToken);
        var file = new FileInfo(path);
        await using var content = file.OpenRead();
        if (!KnowledgeSources.IsSet(source)) return await importer.ImportAsync(source, content, file.Name, concurrency, progress, cancellationToken);
        return await importer.ImportSetAsync(source, Zip(source, content, file), file.Name, concurrency, progress, cancellationToken);
    }

    private static async Task<List<KnowledgeSourceFile>> RegularFilesAsync(DirectoryInfo folder, Func<string, Task> skipped)
    {
        var regular = new List<KnowledgeSourceFile>();
        foreach (var file in KnowledgeSourceFile.FromFolder(folder))
        {
            var full = Path.Combine(folder.FullName, file.Name);
            if (SpecialFile.KindOf(full) is { } kind) await skipped($"{full}: skipped: {SpecialFile.NotRead(kind)}");
            else regular.Add(file);
        }

        return regular;
    }

    /// <summary>A set given as one file is a zip of it; anything else is refused naming the file, not the zip reader's words.</summary>
    private static IReadOnlyList<KnowledgeSourceFile> Zip(KnowledgeSource source, Stream content, FileInfo file)
    {
        try
        {
            return KnowledgeSourceFile.FromZip(content, include: KnowledgeImporter.SetReaderFor(source).Reads);
        }
        catch (InvalidDataException)
        {
            var what = file.Length == 0 ? "empty, not a zip archive" : "not a zip archive, or a damaged one";
            throw new InvalidDataException($"{file.FullName}: {what} ({SetDescription(source)})");
        }
    }

    private static string SetDescription(KnowledgeSource source) => source switch
    {
        KnowledgeSource.PharmCatGuidelines => "PharmCAT's guideline packages are read from a folder or a zip of them",
        KnowledgeSource.CpicAlerts => "CPIC's alert sheets are read from a folder or a zip of them",
        KnowledgeSource.RxNorm => "RxNorm is read from the release's rrf folder or a zip of it",
        _ => $"{KnowledgeSources.NameOf(source)} is read from a folder or a zip",
    };
}
