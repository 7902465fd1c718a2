namespace PrecisionMed.Core.LabReports;

/// <summary>A code from a code system, as FHIR Coding: system URI, code, display.</summary>
public sealed record Coding(string? System, string? Code, string? Display = null)
{
    public const string Loinc = "http://loinc.org";
    public const string Hgnc = "http://www.genenames.org";
    public const string Hgvs = "http://varnomen.hgvs.org";
    public const string RefSeq = "http://www.ncbi.nlm.nih.gov/refseq";
    public const string Snomed = "http://snomed.info/sct";
    public const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
    public const string PharmVar = "http://www.pharmvar.org";
    public const string DbSnp = "http://www.ncbi.nlm.nih.gov/snp";
    public const string ClinVar = "http://www.ncbi.nlm.nih.gov/clinvar";
    public const string SequenceOntology = "http://www.sequenceontology.org";
    public const string Ucum = "http://unitsofmeasure.org";

    public static Coding LoincCode(string code, string? display = null) => new(Loinc, code, display);
}
