using System.Globalization;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Cli.Ingest;

/// <summary>Which files <c>pmed ingest</c> reads, and the names it writes their bundles under.</summary>
internal static class IngestPaths
{
    public static List<string> Expand(IReadOnlyList<string> paths, out List<string> missing)
    {
        missing = [];
        var files = new List<string>();
        foreach (var path in paths)
        {
            // A VCF's manifest is read with its VCF, not ingested as a file of its own.
            if (File.Exists(path))
            {
                if (!VcfManifest.IsManifestName(Path.GetFileName(path))) files.Add(path);
            }
            else if (Directory.Exists(path))
                files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => !Path.GetFileName(f).StartsWith('.') && !VcfManifest.IsManifestName(Path.GetFileName(f))).Order(StringComparer.Ordinal));
            else missing.Add(path);
        }

        return files;
    }

    public static string BundleFileName(string name, int unit, int units, int part, int parts)
    {
        var stem = Path.GetFileNameWithoutExtension(name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? name[..^3] : name);
        var unitPart = units > 1 ? string.Create(CultureInfo.InvariantCulture, $".report-{unit + 1}") : string.Empty;
        var partPart = parts > 1 ? string.Create(CultureInfo.InvariantCulture, $".part-{part + 1}") : string.Empty;
        return $"{stem}{unitPart}{partPart}.transaction.json";
    }
}
