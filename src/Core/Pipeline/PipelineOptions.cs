using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace PrecisionMed.Core.Pipeline;

/// <summary>Settings of the pipeline itself (section <c>Pipeline</c>).</summary>
public sealed class PipelineOptions
{
    public const string SectionName = "Pipeline";

    private const string AtLeast = "{0} must be at least {1}";

    /// <summary>Recorded in every Provenance and error report.</summary>
    [Required]
    public string PipelineVersion { get; set; } = CurrentVersion;

    /// <summary>
    /// The labs whose folders are read (<c>Pipeline__KnownLabs__0</c>, ...): a file in any other folder is rejected.
    /// Empty accepts any well-formed lab id (local runs and tests).
    /// </summary>
    public IList<string> KnownLabs { get; } = [];

    /// <summary>
    /// How long one delivery of a work item holds its unit (<c>Pipeline__UnitClaim</c>): a concurrent delivery leaves
    /// it alone meanwhile; a worker that died releases it when this lapses. Longer than the slowest unit takes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan UnitClaim { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How often one unit may be replayed (<c>Pipeline__MaxReplays</c>): a unit that keeps failing reaches the poison queue
    /// at most this many more times, then replay refuses it, so a poison message never loops.
    /// </summary>
    [Range(0, 100)]
    public int MaxReplays { get; set; } = 3;

    /// <summary>
    /// The largest attached document (an HL7 v2 OBX ED PDF) carried inline in the FHIR transaction
    /// (<c>Pipeline__MaxInlineDocumentBytes</c>); a larger one is stored in the <c>documents</c> area and referenced by
    /// URL. Inline content travels twice (DocumentReference and the report's presentedForm) and FHIR services bound a
    /// resource's size, so the default is 1 MiB.
    /// </summary>
    [Range(0, int.MaxValue, ErrorMessage = AtLeast)]
    public int MaxInlineDocumentBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// The first delay before a unit the FHIR service failed transiently is tried again (<c>Pipeline__TransientRetryBaseDelay</c>):
    /// each later one doubles, with jitter, up to <see cref="TransientRetryMaxDelay"/>.
    /// </summary>
    public TimeSpan TransientRetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest delay between two attempts of a waiting unit (<c>Pipeline__TransientRetryMaxDelay</c>); at most <see cref="MaxQueueDelay"/>, a queue message's longest invisibility.</summary>
    public TimeSpan TransientRetryMaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long a unit keeps being put back while the FHIR service fails transiently (<c>Pipeline__TransientRetryBudget</c>),
    /// counted from its first such failure: past it the unit is Failed, kept for replay. Zero fails it at the first one.
    /// </summary>
    public TimeSpan TransientRetryBudget { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a VCF that arrived without a manifest (<c>NAME.vcf.manifest.json</c>) waits for it (<c>Pipeline__VcfManifestWait</c>),
    /// counted from the VCF's arrival, when the lab's profile names no other identity source: the manifest's arrival
    /// processes it at once; past this the VCF's units are held for review. Zero holds them at once.
    /// </summary>
    public TimeSpan VcfManifestWait { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The longest delay a work item is sent with: a Storage Queue message stays invisible at most 7 days, and less than its
    /// time to live (7 days by default), so an hour is kept in hand.
    /// </summary>
    public static readonly TimeSpan MaxQueueDelay = TimeSpan.FromDays(7) - TimeSpan.FromHours(1);

    /// <summary>
    /// What is wrong with the retry and manifest-wait settings, one line a setting, named as operators set them; empty when nothing is.
    /// (The settings with data annotations are checked by those where the app binds its settings.)
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (TransientRetryBaseDelay <= TimeSpan.Zero) problems.Add(Problem(nameof(TransientRetryBaseDelay), "must be positive", TransientRetryBaseDelay));
        if (TransientRetryMaxDelay < TransientRetryBaseDelay || TransientRetryMaxDelay > MaxQueueDelay)
            problems.Add(Problem(nameof(TransientRetryMaxDelay), $"must be between {SectionName}:{nameof(TransientRetryBaseDelay)} and {MaxQueueDelay}", TransientRetryMaxDelay));
        if (TransientRetryBudget < TimeSpan.Zero) problems.Add(Problem(nameof(TransientRetryBudget), "must not be negative", TransientRetryBudget));
        if (VcfManifestWait < TimeSpan.Zero || VcfManifestWait > MaxQueueDelay)
            problems.Add(Problem(nameof(VcfManifestWait), $"must be between 00:00:00 and {MaxQueueDelay}", VcfManifestWait));
        return problems;
    }

    private static string Problem(string setting, string rule, TimeSpan value) =>
        $"{SectionName}:{setting} {rule} (is {value}; environment variable {SectionName}__{setting}).";

    public static string CurrentVersion { get; } =
        typeof(PipelineOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}
