namespace PrecisionMed.Cli.Ingest;

/// <param name="Skipped">What the lab sent that was not mapped, with where and why (loss accounting).</param>
internal sealed record IngestResult(
    string File,
    string? Format,
    int Reports,
    int Resources,
    string Status,
    string? Reason,
    IReadOnlyList<string> Bundles,
    IReadOnlyList<string> Skipped)
{
    /// <summary>With <c>--fhir</c>: results an earlier version of a report wrote that this one no longer carries, now entered-in-error.</summary>
    public IReadOnlyList<string> Withdrawn { get; init; } = [];

    /// <summary>VCF: the data records by outcome (reported, outside-regions, ...) summed over the file's samples; null for other formats.</summary>
    public IReadOnlyDictionary<string, long>? RecordCounts { get; init; }

    /// <summary>VCF: the manifest read beside it (its file name), which says who its sample columns are; null when none.</summary>
    public string? Manifest { get; init; }

    /// <summary>With <c>--validate</c>: the errors the validator found in the file's bundles; null without it.</summary>
    public int? ValidationErrors { get; init; }
}
