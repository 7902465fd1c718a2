using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PrecisionMed.Core.Genomics.Index;

/// <summary>
/// Where population operations look: a gene (by upper-case symbol, and by HGNC id), a genomic bin (a chromosome
/// accession and a 1 Mb window of it), a medication or a condition (<c>system|code</c>). Each is a partition of its own,
/// so a population question reads only the partitions its inputs name, never all of them.
/// </summary>
public sealed record PopulationKey(string Value)
{
    /// <summary>Bases per genomic bin.</summary>
    public const long BinSize = 1_000_000;

    /// <summary>
    /// The longest key kept as written. A partition key travels in a request header (and Cosmos DB bounds it): a longer
    /// value (a lab's free text where a code belongs) is keyed by its SHA-256, the same for a write and a question.
    /// </summary>
    public const int MaxLength = 200;

    public static PopulationKey Gene(string symbolOrHgncId) => Make("gene", symbolOrHgncId.Trim().ToUpperInvariant());

    public static PopulationKey Bin(string chromosomeAccession, long position) =>
        Make("bin", string.Create(CultureInfo.InvariantCulture, $"{chromosomeAccession.Trim().ToUpperInvariant()}:{position / BinSize}"));

    public static PopulationKey Medication(string systemAndCode) => Make("medication", systemAndCode.Trim());

    public static PopulationKey Condition(string systemAndCode) => Make("condition", systemAndCode.Trim());

    /// <summary>Every bin a 0-based half-open range on a chromosome touches.</summary>
    public static IEnumerable<PopulationKey> Bins(string chromosomeAccession, long start, long end)
    {
        for (var bin = start / BinSize; bin <= Math.Max(start, end - 1) / BinSize; bin++) yield return Bin(chromosomeAccession, bin * BinSize);
    }

    private static PopulationKey Make(string kind, string value)
    {
        var key = $"{kind}:{value}";
        return key.Length <= MaxLength ? new(key) : new($"{kind}:sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))}");
    }
}

/// <summary>The genomic index (a port: Cosmos DB in production, in memory for tests and <c>pmed ingest</c>).</summary>
public interface IGenomicIndex
{
    /// <summary>Every indexed report of the patient (<c>Patient/id</c>): one single-partition read.</summary>
    Task<IReadOnlyList<IndexedReport>> ReadSubjectAsync(string patient, CancellationToken cancellationToken);

    /// <summary>The slices of every report with findings under the key: each holds only those findings.</summary>
    Task<IReadOnlyList<IndexedReport>> ReadPopulationAsync(PopulationKey key, CancellationToken cancellationToken);

    /// <summary>How many patients the index holds a report of: the population's denominator.</summary>
    Task<long> CountSubjectsAsync(CancellationToken cancellationToken);

    /// <summary>Stores the report (replacing the one of the same report and patient, and its slices); idempotent.</summary>
    Task WriteAsync(IndexedReport report, CancellationToken cancellationToken);

    /// <summary>Removes the report of the patient and its slices (the report was entered-in-error); nothing when not there.</summary>
    Task RemoveAsync(string patient, string report, CancellationToken cancellationToken);
}
