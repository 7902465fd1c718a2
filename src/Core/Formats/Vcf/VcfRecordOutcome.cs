namespace PrecisionMed.Core.Formats.Vcf;

/// <summary>
/// Why a VCF record was or was not reported for a sample: the keys of the per-reason counts in the unit's ledger
/// record. Every data line gets exactly one.
/// </summary>
public static class VcfRecordOutcome
{
    public const string Reported = "reported";
    public const string MalformedLine = "malformed-line";
    public const string ReferenceBlock = "gvcf-reference-block";
    public const string FilterNotPass = "filter-not-pass";
    public const string NoGenotype = "no-genotype";
    public const string NoCall = "no-call";
    public const string ReferenceGenotype = "reference-genotype";
    public const string MitochondrialNotHaploid = "mitochondrial-not-haploid-simple";
    public const string MitochondrialSequenceUnknown = "mitochondrial-sequence-unknown";
    public const string OutsideRegions = "outside-regions";
    public const string NotInGenesOrKnowledge = "not-in-genes-or-knowledge";
    public const string UnsupportedAllele = "unsupported-allele";
    public const string DuplicateRecord = "duplicate-record";
}
