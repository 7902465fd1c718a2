using System.ComponentModel.DataAnnotations;
using System.Globalization;
using PrecisionMed.Core.Formats.Fhir;
using PrecisionMed.Core.Formats.Vcf;

namespace PrecisionMed.Core.Formats;

/// <summary>
/// Limits on what a lab file may make the pipeline read (section <c>Limits</c>): a file past one is rejected to
/// <c>rejected/</c> with a reason naming the limit, its value and the setting to change. They are enforced while the
/// file streams, so a hostile file (a gzip bomb, a line without end, JSON nested a million deep) costs at most the
/// limit, never the whole file in memory.
/// </summary>
public sealed class LimitsOptions
{
    public const string SectionName = "Limits";

    private const string AtLeast = "{0} must be at least {1}";

    private const long MiB = 1024 * 1024;
    private const long GiB = 1024 * MiB;

    /// <summary>
    /// The stored file, as it arrived (compressed or not). 2 GiB holds a single-sample whole-genome VCF.gz (about
    /// 1 GiB) and any exome or panel with room to spare; gVCFs and multi-sample cohorts are not results for one patient.
    /// </summary>
    [Range(typeof(long), "1", "9223372036854775807", ErrorMessage = AtLeast)]
    public long MaxFileBytes { get; set; } = 2 * GiB;

    /// <summary>
    /// The content after decompression. VCF text gzips 4-8 to 1, so a file at <see cref="MaxFileBytes"/> inflates to
    /// at most about 16 GiB; VCF streams, so this bounds time, not memory.
    /// </summary>
    [Range(typeof(long), "1", "9223372036854775807", ErrorMessage = AtLeast)]
    public long MaxDecompressedBytes { get; set; } = 16 * GiB;

    /// <summary>
    /// Decompressed bytes per compressed byte read so far (a gzip bomb of zeros reaches about 1000). Real VCF, HL7 v2
    /// and FHIR JSON compress 4 to 20 times, a repetitive VCF (many identical INFO columns) up to about 30; 100 leaves
    /// them room. Checked once <see cref="RatioCheckedAfterBytes"/> have been inflated: small files may compress better.
    /// </summary>
    [Range(1.0, double.MaxValue, ErrorMessage = AtLeast)]
    public double MaxDecompressionRatio { get; set; } = 100;

    /// <summary>
    /// HL7 v2 and FHIR JSON files are read whole into memory (a JSON document takes several times its size as nodes).
    /// A genomic report is kilobytes, one with an embedded PDF a few megabytes; 128 MiB holds a large batch of them.
    /// </summary>
    [Range(typeof(long), "1", "9223372036854775807", ErrorMessage = AtLeast)]
    public long MaxDocumentBytes { get; set; } = 128 * MiB;

    /// <summary>
    /// The longest VCF line or HL7 v2 segment. VCF lines grow with samples and annotation (a cohort line can pass
    /// 10 MiB), an HL7 OBX-5 with a base64 PDF can be tens of megabytes; the buffer grows to this and no further.
    /// </summary>
    [Range(1, int.MaxValue, ErrorMessage = AtLeast)]
    public int MaxLineBytes { get; set; } = VcfReader.DefaultMaxLineBytes;

    /// <summary>
    /// The report units of one file: the messages of an HL7 v2 file (one batch, or a file of batches: FHS/BHS), the
    /// sample columns of a VCF, the reports of a FHIR bundle. Each becomes a ledger unit and a queue message written by
    /// the arrival function in one invocation (and each VCF sample unit reads the whole file again); 5,000 is a large
    /// lab's daily batch and fits well within the function timeout.
    /// </summary>
    [Range(1, int.MaxValue, ErrorMessage = AtLeast)]
    public int MaxMessagesPerFile { get; set; } = 5_000;

    /// <summary>
    /// How deep FHIR JSON may nest. Genomics IG resources nest about 12 deep (entry, resource, component, value,
    /// coding); 64 is also System.Text.Json's serialisation depth, so whatever is accepted can be written on.
    /// </summary>
    [Range(1, int.MaxValue, ErrorMessage = AtLeast)]
    public int MaxJsonDepth { get; set; } = FhirBundleReader.DefaultMaxDepth;

    /// <summary>Below this many inflated bytes the ratio is not checked: a 1 KiB member that inflates to 200 KiB is harmless.</summary>
    public const long RatioCheckedAfterBytes = 16 * MiB;

    /// <summary>The reason for a breach: what was too big, the limit, and the setting that changes it.</summary>
    internal static string Breach(string what, string setting, string limit) =>
        $"{what}: the limit is {limit} (setting {SectionName}:{setting}, environment variable {SectionName}__{setting})";

    internal static string Bytes(long bytes) => bytes switch
    {
        >= GiB when bytes % GiB == 0 => string.Create(CultureInfo.InvariantCulture, $"{bytes / GiB} GiB ({bytes} bytes)"),
        >= MiB when bytes % MiB == 0 => string.Create(CultureInfo.InvariantCulture, $"{bytes / MiB} MiB ({bytes} bytes)"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };
}
