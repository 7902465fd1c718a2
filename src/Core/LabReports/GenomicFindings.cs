namespace PrecisionMed.Core.LabReports;

/// <summary>Whether a variant was found (LOINC 69548-6 answers: Present, Absent, No call, Indeterminate).</summary>
public enum VariantAssessment
{
    Present,
    Absent,
    NoCall,
    Indeterminate,
}

/// <summary>
/// One variant as reported (an HL7 v2 81250-3/81297-4 group, a VCF record for one sample):
/// its facts as components keyed by LOINC code, the same codes the IG's Variant components use.
/// </summary>
/// <param name="Key">Stable within the report (OBX-4 sub-ID, or build:chrom:pos:ref:alt): part of the resource id.</param>
/// <param name="Structural">Reported as a structural variant (copy number, inner/outer ranges).</param>
/// <param name="Notes">What the variant's components cannot carry: an HGVS change reported without its reference sequence.</param>
public sealed record VariantFinding(
    string Key,
    VariantAssessment Assessment,
    IReadOnlyList<ReportComponent> Components,
    CodedValue? Method = null,
    bool Structural = false,
    string? Status = null,
    IReadOnlyList<string>? Notes = null);

/// <summary>A clinical interpretation of one or more findings: significance and phenotypes (DiagnosticImplication).</summary>
/// <param name="EvidenceLevel">How strong the interpretation is (e.g. ClinVar's review status).</param>
/// <param name="CitationUrl">Where the interpretation comes from (e.g. the ClinVar variation page).</param>
/// <param name="Note">What a reader must know, e.g. that the lab's and the knowledge store's classifications differ.</param>
public sealed record DiagnosticImplicationFinding(
    string Key,
    IReadOnlyList<string> DerivedFromKeys,
    CodedValue? ClinicalSignificance,
    IReadOnlyList<CodedValue> PredictedPhenotypes,
    string? Conclusion = null,
    CodedValue? ModeOfInheritance = null,
    CodedValue? EvidenceLevel = null,
    string? CitationUrl = null,
    string? Note = null);

/// <summary>A haplotype (star allele, HLA allele) and what it was derived from.</summary>
public sealed record HaplotypeFinding(string Key, CodedValue Value, CodedValue? Gene, IReadOnlyList<string> DerivedFromKeys);

/// <summary>
/// A genotype (diplotype) and the haplotypes/variants it was derived from. Some genotypes span
/// genes (warfarin: CYP2C9 with VKORC1), so every gene studied is kept.
/// </summary>
public sealed record GenotypeFinding(string Key, CodedValue Value, IReadOnlyList<CodedValue> Genes, IReadOnlyList<string> DerivedFromKeys);

/// <summary>
/// What a variant does to one transcript (the IG's MolecularConsequence), from the caller's annotation (snpEff ANN,
/// VEP CSQ): the transcript, its c. and p. HGVS, and the Sequence Ontology consequence terms.
/// </summary>
/// <param name="Notes">An HGVS change annotated without its reference sequence, kept as text.</param>
public sealed record MolecularConsequenceFinding(
    string Key,
    string VariantKey,
    CodedValue? Transcript,
    CodedValue? CodingHgvs,
    CodedValue? ProteinHgvs,
    IReadOnlyList<CodedValue> FeatureConsequences,
    IReadOnlyList<string>? Notes = null);

/// <summary>What a genotype means for one medication (TherapeuticImplication), with any recommendation.</summary>
public sealed record TherapeuticImplicationFinding(
    string Key,
    IReadOnlyList<string> DerivedFromKeys,
    CodedValue? Medication,
    IReadOnlyList<CodedValue> Implications,
    CodedValue? Recommendation = null,
    string? Conclusion = null,
    string? GuidelineUrl = null,
    CodedValue? EvidenceLevel = null,
    string? Note = null);

/// <summary>How two variants (or haplotypes) relate in phase (SequencePhaseRelationship: Cis, Trans, ...).</summary>
public sealed record PhaseRelationshipFinding(string Key, string Relationship, IReadOnlyList<string> DerivedFromKeys);
