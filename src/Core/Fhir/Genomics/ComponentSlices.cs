using Value = PrecisionMed.Core.Fhir.Genomics.ComponentValueTypes;

namespace PrecisionMed.Core.Fhir.Genomics;

/// <summary>
/// The component slices of the IG 3.0.0 Observation profiles, read from the snapshots in the package
/// (StructureDefinition-*.json: each slice's code pattern, value[x] types and max). A Variant component whose
/// code is not here is not written, and is reported as skipped.
/// </summary>
internal static class ComponentSlices
{
    private const string Loinc = LabReports.Coding.Loinc;
    private const string Tbd = GenomicsCodes.TbdCodes;

    // GenomicBase and GenomicFinding slices, on every finding profile.
    public static readonly ComponentSlice ConclusionString = new("conclusion-string", Tbd, GenomicsCodes.ConclusionString, Value.String);
    public static readonly ComponentSlice GeneStudied = new("gene-studied", Loinc, GenomicsCodes.GeneStudied, Value.CodeableConcept, Repeats: true);
    public static readonly ComponentSlice ReferenceSequenceAssembly =
        new("reference-sequence-assembly", Loinc, GenomicsCodes.ReferenceSequenceAssembly, Value.CodeableConcept, Repeats: true);

    // GenomicImplication slices.
    public static readonly ComponentSlice ClinicalSignificance = new("clinical-significance", Loinc, GenomicsCodes.ClinicalSignificance, Value.CodeableConcept);
    public static readonly ComponentSlice PredictedPhenotype = new("predicted-phenotype", Loinc, GenomicsCodes.PredictedPhenotype, Value.CodeableConcept, Repeats: true);
    public static readonly ComponentSlice EvidenceLevel = new("evidence-level", Loinc, GenomicsCodes.EvidenceLevel, Value.CodeableConcept, Repeats: true);
    public static readonly ComponentSlice ModeOfInheritance = new("mode-of-inheritance", Tbd, GenomicsCodes.ConditionInheritance, Value.CodeableConcept);
    public static readonly ComponentSlice MedicationAssessed = new("medication-assessed", Loinc, GenomicsCodes.MedicationAssessed, Value.CodeableConcept, Repeats: true);
    public static readonly ComponentSlice TherapeuticImplication =
        new("therapeutic-implication", Tbd, GenomicsCodes.TherapeuticImplication, Value.CodeableConcept, Repeats: true);

    // MolecularConsequence slices.
    public static readonly ComponentSlice CodingHgvs = new("coding-hgvs", Loinc, "48004-6", Value.CodeableConcept, TextCoding: TextCoding.Hgvs);
    public static readonly ComponentSlice TranscriptRefSeq = new("transcript-ref-seq", Loinc, "51958-7", Value.CodeableConcept, TextCoding: TextCoding.RefSeq);
    public static readonly ComponentSlice ProteinHgvs = new("protein-hgvs", Loinc, "48005-3", Value.CodeableConcept, TextCoding: TextCoding.Hgvs);
    public static readonly ComponentSlice FeatureConsequence =
        new("feature-consequence", Tbd, "feature-consequence", Value.CodeableConcept, Repeats: true);

    /// <summary>Every slice of the variant profile (its own and those it inherits from finding and genomic-base).</summary>
    public static readonly IReadOnlyList<ComponentSlice> Variant =
    [
        ConclusionString,
        GeneStudied,
        new("cytogenetic-location", Loinc, "48001-2", Value.CodeableConcept, Repeats: true),
        ReferenceSequenceAssembly,
        new("chromosome-identifier", Loinc, "48000-4", Value.CodeableConcept, Repeats: true),
        new("representative-coding-hgvs", Loinc, "48004-6", Value.CodeableConcept, TextCoding: TextCoding.Hgvs),
        new("genomic-hgvs", Loinc, "81290-9", Value.CodeableConcept, TextCoding: TextCoding.Hgvs),
        new("cytogenomic-nomenclature", Loinc, "81291-7", Value.CodeableConcept),
        new("genomic-ref-seq", Loinc, "48013-7", Value.CodeableConcept, TextCoding: TextCoding.RefSeq),
        new("representative-protein-ref-seq", Tbd, "protein-ref-seq", Value.CodeableConcept, TextCoding: TextCoding.RefSeq),
        new("representative-transcript-ref-seq", Loinc, "51958-7", Value.CodeableConcept, TextCoding: TextCoding.RefSeq),
        new("exact-start-end", Loinc, "81254-5", Value.Range),
        new("inner-start-end", Loinc, "81302-2", Value.Range),
        new("outer-start-end", Loinc, "81301-4", Value.Range),
        new("coordinate-system", Loinc, "92822-6", Value.CodeableConcept),
        new("ref-allele", Loinc, "69547-8", Value.String),
        new("alt-allele", Loinc, "69551-0", Value.String),
        new("coding-change-type", Loinc, "48019-4", Value.CodeableConcept),
        new("genomic-source-class", Loinc, "48002-0", Value.CodeableConcept),
        new("sample-allelic-frequency", Loinc, "81258-6", Value.Quantity),
        new("allelic-read-depth", Loinc, "82121-5", Value.Quantity),
        new("allelic-state", Loinc, "53034-5", Value.CodeableConcept),
        new("variant-inheritance", Loinc, "94186-4", Value.CodeableConcept),
        new("variant-inheritance-basis", Loinc, "82309-6", Value.CodeableConcept),
        new("variation-code", Loinc, "81252-9", Value.CodeableConcept, Repeats: true),
        new("representative-protein-hgvs", Loinc, "48005-3", Value.CodeableConcept, TextCoding: TextCoding.Hgvs),
        new("copy-number", Loinc, "82155-3", Value.Quantity | Value.Range),
        new("variant-confidence-status", Tbd, "variant-confidence-status", Value.CodeableConcept),
        new("repeat-motif", Tbd, "repeat-motif", Value.String, Repeats: true),
        new("repeat-number", Tbd, "repeat-number", Value.Quantity, Repeats: true),
    ];

    /// <summary>The variant slice for a lab's component code, or null when the profile has none.</summary>
    public static ComponentSlice? FindVariantSlice(LabReports.Coding code)
    {
        for (var i = 0; i < Variant.Count; i++)
        {
            if (Variant[i].Matches(code)) return Variant[i];
        }

        return null;
    }
}
