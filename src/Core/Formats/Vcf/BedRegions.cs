using System.Globalization;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Vcf;

/// <summary>
/// Regions from a BED file (0-based, half-open), per chromosome sorted and merged, answering "does this variant
/// overlap a region" by binary search. Chromosome names are compared normalised ("chr1" = "1").
/// </summary>
public sealed class BedRegions
{
    private readonly Dictionary<string, (long Start, long End)[]> _byChromosome;

    // The last chromosome looked up: records come sorted, so this saves normalising the name per record (one reader per instance).
    private string? _lastName;
    private (long Start, long End)[]? _lastRegions;

    private BedRegions(Dictionary<string, (long Start, long End)[]> byChromosome, IReadOnlyList<string> described)
    {
        _byChromosome = byChromosome;
        Described = described;
    }

    /// <summary>The regions as text (<c>chr1:101-200</c>, 1-based inclusive), in file order.</summary>
    public IReadOnlyList<string> Described { get; }

    public int Count => _byChromosome.Values.Sum(r => r.Length);

    public static BedRegions Load(string path)
    {
        using var reader = new StreamReader(path);
        return Parse(reader, Path.GetFileName(path));
    }

    /// <summary>Reads BED lines; a line that is not a region rejects the file with its position, and so does a file without a region.</summary>
    public static BedRegions Parse(TextReader reader, string name)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var lists = new Dictionary<string, List<(long, long)>>(StringComparer.Ordinal);
        var described = new List<string>();
        var number = 0L;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("track", StringComparison.Ordinal) || line.StartsWith("browser", StringComparison.Ordinal)) continue;
            var columns = line.Split('\t');
            if (columns.Length < 3
                || !long.TryParse(columns[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                || !long.TryParse(columns[2].TrimEnd('\r'), NumberStyles.None, CultureInfo.InvariantCulture, out var end)
                || end < start)
            {
                throw new LabFileRejectedException(new SourcePosition { Line = number, Path = name },
                    "the BED line is not 'chrom<TAB>start<TAB>end' with 0 <= start <= end");
            }

            var chromosome = RefSeqChromosomes.Normalise(columns[0]);
            if (!lists.TryGetValue(chromosome, out var list)) lists[chromosome] = list = [];
            list.Add((start, end));
            described.Add(string.Create(CultureInfo.InvariantCulture, $"{columns[0]}:{start + 1}-{end}"));
        }

        // Filtering by no region would report nothing of any VCF, without a word: the file is not what was meant.
        if (described.Count == 0)
        {
            throw new LabFileRejectedException(new SourcePosition { Path = name },
                "holds no regions (nothing but blank, comment, track or browser lines): every variant would be filtered out");
        }

        var merged = lists.ToDictionary(p => p.Key, p => Merge(p.Value), StringComparer.Ordinal);
        return new BedRegions(merged, described);
    }

    /// <summary>Whether the 1-based inclusive span <paramref name="start"/>..<paramref name="end"/> overlaps a region.</summary>
    public bool Overlaps(string chromosome, long start, long end)
    {
        if (!ReferenceEquals(chromosome, _lastName))
        {
            _lastName = chromosome;
            _lastRegions = _byChromosome.GetValueOrDefault(RefSeqChromosomes.Normalise(chromosome));
        }

        if (_lastRegions is not { } regions) return false;
        // In 0-based half-open terms the span is [start-1, end).
        long low = start - 1, high = Math.Max(end, start);
        int lo = 0, hi = regions.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (regions[mid].End <= low) lo = mid + 1;
            else if (regions[mid].Start >= high) hi = mid - 1;
            else return true;
        }

        return false;
    }

    private static (long, long)[] Merge(List<(long Start, long End)> regions)
    {
        regions.Sort();
        var merged = new List<(long Start, long End)>(regions.Count);
        foreach (var region in regions)
        {
            if (merged.Count > 0 && region.Start <= merged[^1].End) merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, region.End));
            else merged.Add(region);
        }

        return [.. merged];
    }
}
