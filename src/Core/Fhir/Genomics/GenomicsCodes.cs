namespace PrecisionMed.Core.Fhir.Genomics;

/// <summary>
/// Profile URLs, code systems and codes of the Genomics Reporting IG 3.0.0 that the builder writes,
/// as read from the package's StructureDefinitions (patternCodeableConcept of code and of each slice).
/// </summary>
public static class GenomicsCodes
{
    public const string ProfileBase = "http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/";
    public const string GenomicReportProfile = ProfileBase + "genomic-report";
    public const string VariantProfile = ProfileBase + "variant";
    public const string HaplotypeProfile = ProfileBase + "haplotype";
    public const string GenotypeProfile = ProfileBase + "genotype";
    public const string SequencePhaseRelationshipProfile = ProfileBase + "sequence-phase-relationship";
    public const string DiagnosticImplicationProfile = ProfileBase + "diagnostic-implication";
    public const string TherapeuticImplicationProfile = ProfileBase + "therapeutic-implication";
    public const string MolecularConsequenceProfile = ProfileBase + "molecular-consequence";
    public const string MedicationRecommendationProfile = ProfileBase + "medication-recommendation";
    public const string FollowupRecommendationProfile = ProfileBase + "followup-recommendation";
    public const string GenomicDataFileProfile = ProfileBase + "genomic-data-file";
    public const string GenomicStudyProfile = ProfileBase + "genomic-study";
    public const string GenomicStudyAnalysisProfile = ProfileBase + "genomic-study-analysis";
    public const string GenomicStudyReferenceExtension = ProfileBase + "genomic-study-reference";
    public const string GenomicStudyAnalysisExtension = ProfileBase + "genomic-study-analysis-ext";
    public const string GenomeBuildExtension = ProfileBase + "genomic-study-analysis-genome-build";
    public const string RegionsExtension = ProfileBase + "genomic-study-analysis-regions";
    public const string AnalysisSpecimenExtension = ProfileBase + "genomic-study-analysis-specimen";
    public const string RecommendedActionExtension = ProfileBase + "recommended-action";
    public const string ReportNoteExtension = ProfileBase + "genomic-report-note";
    public const string RelatedArtifactExtension = "http://hl7.org/fhir/StructureDefinition/workflow-relatedArtifact";

    public const string TbdCodes = "http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes-cs";

    /// <summary>The IG's ValueSet includes this terminology.hl7.org system, not a genomics-reporting one.</summary>
    public const string SequencePhaseRelationshipSystem = "http://terminology.hl7.org/CodeSystem/sequence-phase-relationship-cs";

    public const string ObservationCategorySystem = "http://terminology.hl7.org/CodeSystem/observation-category";
    public const string DiagnosticServiceSystem = "http://terminology.hl7.org/CodeSystem/v2-0074";
    public const string IdentifierTypeSystem = "http://terminology.hl7.org/CodeSystem/v2-0203";

    public const string GeneticAnalysisReport = "51969-4";
    public const string GeneticVariantAssessment = "69548-6";
    public const string Haplotype = "84414-2";
    public const string Genotype = "84413-4";
    public const string SequencePhaseRelationship = "82120-7";
    public const string DiagnosticImplication = "diagnostic-implication";
    public const string TherapeuticImplication = "therapeutic-implication";
    public const string MolecularConsequence = "molecular-consequence";

    /// <summary>LOINC LL1040-6 answers (the genome-build extension's extensible binding).</summary>
    public const string Grch37 = "LA14029-5";
    public const string Grch38 = "LA26806-2";

    public const string GeneStudied = "48018-6";
    public const string ReferenceSequenceAssembly = "62374-4";
    public const string ClinicalSignificance = "53037-8";
    public const string PredictedPhenotype = "81259-4";
    public const string MedicationAssessed = "51963-7";
    public const string EvidenceLevel = "93044-6";
    public const string ConclusionString = "conclusion-string";
    public const string ConditionInheritance = "condition-inheritance";
}
