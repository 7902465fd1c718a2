using System.Globalization;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Cli.Ingest;

/// <summary>Which files <c>pmed ingest</c> reads, and the names it writes their bundles under.</summary>
internal static class IngestPaths
{
    /// <summary>
    /// The files to read, in the order given (a folder's files, under every subfolder, in name order), the paths that
    /// do not exist, and what a folder holds that is not a regular file (a named pipe, a socket, a device), left unread
    /// with what it is. A folder reached twice, through a link or a link loop, is read once. A path named itself is
    /// among the files whatever it is: the run rejects it as not a regular file.
    /// </summary>
    public static List<string> Expand(IReadOnlyList<string> paths, out List<string> missing, out List<(string Path, string Kind)> special)
    {
        missing = [];
        special = [];
        var files = new List<string>();
        foreach (var path in paths)
        {
            // A VCF's manifest is read with its VCF, not ingested as a file of its own.
            if (File.Exists(path))
            {
                if (!VcfManifest.IsManifestName(Path.GetFileName(path))) files.Add(path);
            }
            else if (Directory.Exists(path))
                files.AddRange(SpecialFile.SetAside(FilesUnder(path).Where(f => !Path.GetFileName(f).StartsWith('.') && !VcfManifest.IsManifestName(Path.GetFileName(f))).Order(StringComparer.Ordinal), special));
            else missing.Add(path);
        }

        return files;
    }

    /// <summary>
    /// Each file's bundle name stem, unique in the run so that no file's bundles overwrite another's: the name without its
    /// extension (<c>a.hl7</c> → <c>a</c>); where two files share that, their whole names (<c>x.hl7</c>, <c>x.vcf</c>); where
    /// they share even that (<c>a.hl7</c> from two folders), the later ones numbered (<c>a.hl7-2</c>) in the order given.
    /// </summary>
    public static string[] OutputStems(IReadOnlyList<string> files)
    {
        var names = files.Select(f => Path.GetFileName(f) is var name && name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? name[..^3] : Path.GetFileName(f)).ToList();
        var shortStems = names.Select(name => Path.GetFileNameWithoutExtension(name)).ToList();
        var sharing = shortStems.CountBy(s => s, StringComparer.Ordinal).Where(c => c.Value > 1).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var stems = new string[files.Count];
        for (var i = 0; i < files.Count; i++)
        {
            var stem = sharing.Contains(shortStems[i]) ? names[i] : shortStems[i];
            var unique = stem;
            for (var n = 2; !taken.Add(unique); n++) unique = string.Create(CultureInfo.InvariantCulture, $"{stem}-{n}");
            stems[i] = unique;
        }

        return stems;
    }

    public static string BundleFileName(string stem, int unit, int units, int part, int parts)
    {
        var unitPart = units > 1 ? string.Create(CultureInfo.InvariantCulture, $".report-{unit + 1}") : string.Empty;
        var partPart = parts > 1 ? string.Create(CultureInfo.InvariantCulture, $".part-{part + 1}") : string.Empty;
        return $"{stem}{unitPart}{partPart}.transaction.json";
    }

    /// <summary>Every file under <paramref name="root"/>; a folder is entered once by its real path, so a link to a folder above ends.</summary>
    private static List<string> FilesUnder(string root)
    {
        var files = new List<string>();
        var entered = new HashSet<string>(StringComparer.Ordinal);
        var folders = new Stack<string>([root]);
        while (folders.TryPop(out var folder))
        {
            var real = Directory.ResolveLinkTarget(folder, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(folder);
            if (!entered.Add(Path.TrimEndingDirectorySeparator(real))) continue;
            files.AddRange(Directory.EnumerateFiles(folder));
            foreach (var sub in Directory.EnumerateDirectories(folder)) folders.Push(sub);
        }

        return files;
    }
}
