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

    public static async Task<ImportResult> ImportAsync(
        KnowledgeImporter importer, KnowledgeSource source, string path, int concurrency, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var folder = new DirectoryInfo(path);
        if (folder.Exists) return await importer.ImportSetAsync(source, KnowledgeSourceFile.FromFolder(folder), folder.Name, concurrency, progress, cancellationToken);
        var file = new FileInfo(path);
        await using var content = file.OpenRead();
        return await importer.ImportAsync(source, content, file.Name, concurrency, progress, cancellationToken);
    }
}
