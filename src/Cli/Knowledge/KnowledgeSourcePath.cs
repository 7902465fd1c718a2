using PrecisionMed.Core.Knowledge.Import;

namespace PrecisionMed.Cli.Knowledge;

/// <summary>A source named on the command line: one file, or for a set source (guidelines, alerts) a folder or zip.</summary>
internal static class KnowledgeSourcePath
{
    /// <summary>Null when the path can be read as the source, else why not (one line, the path named).</summary>
    public static string? Problem(KnowledgeSource source, string path)
    {
        if (string.IsNullOrWhiteSpace(path)) return "the path is empty: name the source file";
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
