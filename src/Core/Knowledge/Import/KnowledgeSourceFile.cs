using System.IO.Compression;

namespace PrecisionMed.Core.Knowledge.Import;

/// <summary>One file of a source read as a set (<see cref="KnowledgeSources.IsSet"/>): its name within the set and how to open it.</summary>
/// <param name="Name">The path within the folder or zip, with '/' separators: part of the set's identity.</param>
public sealed record KnowledgeSourceFile(string Name, Func<Stream> Open)
{
    /// <summary>Every file under a folder (hidden ones aside), by name.</summary>
    public static IReadOnlyList<KnowledgeSourceFile> FromFolder(DirectoryInfo folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return
        [
            .. folder.EnumerateFiles("*", SearchOption.AllDirectories)
                .Select(f => (File: f, Name: Path.GetRelativePath(folder.FullName, f.FullName).Replace('\\', '/')))
                .Where(f => !f.Name.Split('/').Any(part => part.StartsWith('.')))
                .OrderBy(f => f.Name, StringComparer.Ordinal)
                .Select(f => new KnowledgeSourceFile(f.Name, f.File.OpenRead)),
        ];
    }

    /// <summary>
    /// Every file in a zip, by name, optionally only those under <paramref name="folder"/> (named relative to it). The
    /// entries are read into memory as the archive is opened: the sets are a few MB.
    /// </summary>
    /// <param name="include">Which entries (by name) to read; the others are not decompressed.</param>
    public static IReadOnlyList<KnowledgeSourceFile> FromZip(Stream zip, string? folder = null, Func<string, bool>? include = null)
    {
        var prefix = string.IsNullOrEmpty(folder) ? string.Empty : folder.TrimEnd('/') + "/";
        using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        var files = new List<KnowledgeSourceFile>();
        foreach (var entry in archive.Entries.OrderBy(e => e.FullName, StringComparer.Ordinal))
        {
            if (entry.FullName.EndsWith('/') || !entry.FullName.StartsWith(prefix, StringComparison.Ordinal)) continue;
            if (include is not null && !include(entry.FullName[prefix.Length..])) continue;
            var bytes = new byte[entry.Length];
            using (var content = entry.Open()) content.ReadExactly(bytes);
            files.Add(new KnowledgeSourceFile(entry.FullName[prefix.Length..], () => new MemoryStream(bytes, writable: false)));
        }

        return files;
    }
}

/// <summary>A file of a set as a reader sees it: its name and its content (decompressed when it was gzip).</summary>
public readonly record struct KnowledgeSetEntry(string Name, Stream Content);

/// <summary>Reads a set of source files as one stream of documents (a gene's guidelines, a drug's alerts, span files).</summary>
public interface IKnowledgeSetReader
{
    /// <summary>Whether the file (by its name in the set) is read at all; files not read are not opened, nor part of the set's hash.</summary>
    bool Reads(string name) => true;

    IAsyncEnumerable<KnowledgeDocument> ReadAsync(IAsyncEnumerable<KnowledgeSetEntry> files, ImportDiagnostics diagnostics, CancellationToken cancellationToken);
}
