using System.ComponentModel.DataAnnotations;

namespace PrecisionMed.Core.Formats.Vcf;

/// <summary>
/// How VCF files become reports (section <c>Vcf</c>; <c>pmed ingest</c> flags set the same): the genome build
/// and genomic source class a lab's files do not state (the lab's profile in the knowledge store comes first),, the
/// sample's sex, and the reportable-variant policy.
/// </summary>
public sealed class VcfOptions : IValidatableObject
{
    public const string SectionName = "Vcf";

    private const string AtLeast = "{0} must be at least {1}";

    /// <summary>The Variant observations one sample may produce; a larger reportable set rejects the file (never truncated).</summary>
    public const int DefaultMaxReportableVariants = 10_000;

    /// <summary>Genome build when neither the header nor the lab's profile names one: GRCh37 or GRCh38.</summary>
    public string? GenomeBuild { get; set; }

    /// <summary>
    /// germline, somatic or unknown: the genomic source class of every variant when the lab's profile states none
    /// (allelic state is written for germline only).
    /// </summary>
    [Required]
    [RegularExpression("(?i)^(germline|somatic|unknown)$", ErrorMessage = "{0} must be germline, somatic or unknown")]
    public string GenomicSourceClass { get; set; } = "germline";

    /// <summary>
    /// The sample's sex (VCF does not carry it; the order does): for a male, a homozygous ALT call on X or Y outside
    /// the pseudo-autosomal regions is hemizygous. Per run (<c>pmed ingest --sample-sex</c>).
    /// </summary>
    public SampleSex SampleSex { get; set; }

    /// <summary>Report only records whose FILTER is PASS or '.'.</summary>
    public bool RequirePassFilter { get; set; } = true;

    /// <summary>Report only records where the sample's genotype carries a non-reference allele.</summary>
    public bool RequireNonReferenceGenotype { get; set; } = true;

    /// <summary>A BED file (0-based, half-open): only variants overlapping its regions are reported; the regions are the regions studied.</summary>
    public string? RegionsBed { get; set; }

    /// <summary>Genes (HGNC symbols) whose variants are reported, by the file's annotation (ANN, CSQ, GENE, GENEINFO, PX).</summary>
    public IList<string> Genes { get; init; } = [];

    /// <summary>Report only variants the knowledge store knows (or in <see cref="Genes"/>): the policy for exome and genome files.</summary>
    public bool OnlyKnownVariants { get; set; }

    [Range(1, int.MaxValue, ErrorMessage = AtLeast)]
    public int MaxReportableVariants { get; set; } = DefaultMaxReportableVariants;

    /// <summary>On chrM, AD/DP above this is homoplasmic, at or below heteroplasmic (vcf2fhir's rule and default ratio_ad_dp).</summary>
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public decimal HomoplasmicRatio { get; set; } = 0.99m;

    /// <summary>
    /// The INFO key (and <c>##KEY=</c> header line) where a lab writes the diplotypes it called, as
    /// <c>GENE:*a/*b</c> items separated by ','; the lab's diplotype wins over the one called from the genotypes.
    /// Empty: not read.
    /// </summary>
    [RegularExpression("^[A-Za-z_][0-9A-Za-z_.]*$", ErrorMessage = "{0} must be a VCF INFO key: a letter or '_', then letters, digits, '_' or '.'")]
    public string? DiplotypeInfoKey { get; set; } = "PGX_DIPLOTYPE";

    /// <summary>A genome build the pipeline cannot map would silently leave every variant without its RefSeq accession.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(GenomeBuild) && LabReports.GenomeBuild.FromName(GenomeBuild) is null)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(GenomeBuild)} names no build the pipeline maps: GRCh37 or GRCh38 (hg19, b37, hg38 ... are read too)",
                [nameof(GenomeBuild)]);
        }
    }
}
