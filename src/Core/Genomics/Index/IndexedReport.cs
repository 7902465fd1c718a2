namespace PrecisionMed.Core.Genomics.Index;

/// <summary>
/// One report's genomic findings for one patient, as the genomic index keeps them for the Genomics Reporting IG's
/// operations: read from the FHIR resources the pipeline wrote (or reads back on a rebuild), each finding with the FHIR
/// reference it came from. Replaced whole when the report is written again (an amendment), removed when the report is
/// entered-in-error. Population partitions hold slices of it: the same shape, only the findings of one gene or bin.
/// </summary>
public sealed record IndexedReport
{
    /// <summary>The report's <c>DiagnosticReport/id</c> (or, for results without a report, the lab's accession): one document per report.</summary>
    public required string Report { get; init; }

    /// <summary>The subject, <c>Patient/id</c> as the FHIR service knows it.</summary>
    public required string Patient { get; init; }

    /// <summary>The report's status (<c>final</c>, <c>amended</c>, ...).</summary>
    public string? Status { get; init; }

    /// <summary>The test's identifiers (the report's and the order's identifier values, the lab's accession).</summary>
    public IReadOnlyList<string> TestIds { get; init; } = [];

    /// <summary>The test's date (the report's effective or issued date), as FHIR writes it.</summary>
    public string? TestDate { get; init; }

    /// <summary>The lab that reported it (the report's performer, else the lab id of its accession's identifier system).</summary>
    public string? Lab { get; init; }

    /// <summary>The report's code, <c>system|code</c> (a LOINC panel, the lab's test code): which test this was.</summary>
    public IReadOnlyList<string> Codes { get; init; } = [];

    /// <summary>The specimens' identifier values and references.</summary>
    public IReadOnlyList<string> SpecimenIds { get; init; } = [];

    /// <summary>The genome build: <c>GRCh37</c> or <c>GRCh38</c>, when stated.</summary>
    public string? GenomicBuild { get; init; }

    /// <summary>Regions studied, <c>NC_000019.10:11200138-11244496</c> (0-based, half-open).</summary>
    public IReadOnlyList<string> RegionsStudied { get; init; } = [];

    /// <summary>Regions the test could not call, same form.</summary>
    public IReadOnlyList<string> UncallableRegions { get; init; } = [];

    /// <summary>The DNA change types studied (Sequence Ontology <c>SO:0001483</c>).</summary>
    public IReadOnlyList<string> DnaChangeTypes { get; init; } = [];

    public IReadOnlyList<IndexedVariant> Variants { get; init; } = [];

    /// <summary>Genotypes and haplotypes (<c>CYP2C19 *1/*17</c>, <c>HLA-B*27:05</c>).</summary>
    public IReadOnlyList<IndexedHaplotype> Haplotypes { get; init; } = [];

    /// <summary>Therapeutic and diagnostic implications, the lab's and the store's.</summary>
    public IReadOnlyList<IndexedImplication> Implications { get; init; } = [];

    public IReadOnlyList<IndexedConsequence> MolecularConsequences { get; init; } = [];

    /// <summary>Sequence-phase relationships (Cis, Trans, ...) between the report's variants.</summary>
    public IReadOnlyList<IndexedPhaseRelationship> PhaseRelationships { get; init; } = [];
}

/// <summary>A gene as a finding names it: the HGNC id and the symbol, either of which may be missing.</summary>
public sealed record IndexedGene(string? HgncId, string? Symbol);

/// <summary>A variant Observation.</summary>
/// <param name="Observation"><c>Observation/id</c>.</param>
/// <param name="ChromosomeAccession">The RefSeq NC_ accession (its version is the build: <c>NC_000001.10</c> GRCh37, <c>.11</c> GRCh38).</param>
/// <param name="Start">0-based start on the chromosome.</param>
/// <param name="End">0-based exclusive end (start + length of the reference allele; start for an insertion).</param>
/// <param name="Ref">Reference allele as SPDI states it (empty for an insertion).</param>
/// <param name="Alt">Alternate allele as SPDI states it (empty for a deletion).</param>
/// <param name="Spdi">Normalised SPDI <c>NC_000001.10:11796321:G:A</c>, when the position and alleles are known.</param>
/// <param name="Hgvs">Every HGVS the Observation carries (genomic, transcript, protein), as written.</param>
/// <param name="SourceClass">The genomic source class's LOINC answer (<c>LA6683-2</c> germline, <c>LA6684-0</c> somatic, ...).</param>
/// <param name="StructuralType">For a structural variant, its type (Sequence Ontology, <c>SO:0001019</c>).</param>
/// <param name="OuterStart">For a structural variant, the outer start/end of its range (0-based), when stated.</param>
/// <param name="CopyNumber">For a copy-number variant, the copy number.</param>
public sealed record IndexedVariant(
    string Observation,
    string? ChromosomeAccession,
    long? Start,
    long? End,
    string? Ref,
    string? Alt,
    string? Spdi,
    IReadOnlyList<string> Hgvs,
    IReadOnlyList<IndexedGene> Genes,
    string? SourceClass = null,
    string? StructuralType = null,
    long? OuterStart = null,
    long? OuterEnd = null,
    long? InnerStart = null,
    long? InnerEnd = null,
    decimal? CopyNumber = null);

/// <summary>A genotype or haplotype Observation.</summary>
/// <param name="Profile"><c>genotype</c> or <c>haplotype</c>.</param>
/// <param name="Name">The value as written: <c>CYP2C19 *1/*17</c>.</param>
/// <param name="Codes">Its value's codings, <c>system|code</c>.</param>
/// <param name="SourceClass">The genomic source class's LOINC answer, when the Observation states one.</param>
public sealed record IndexedHaplotype(string Observation, string Profile, IReadOnlyList<IndexedGene> Genes, string Name, IReadOnlyList<string> Codes, string? SourceClass = null);

/// <summary>A therapeutic or diagnostic implication Observation.</summary>
/// <param name="Profile"><c>therapeutic-implication</c> or <c>diagnostic-implication</c>.</param>
/// <param name="DerivedFrom">The variants, genotypes or haplotypes it derives from, <c>Observation/id</c>.</param>
/// <param name="Medications">Medications assessed, <c>system|code</c>.</param>
/// <param name="Conditions">Predicted phenotypes / conditions, <c>system|code</c>.</param>
/// <param name="Phenotypes">Therapeutic implications' phenotypes (metaboliser status), <c>system|code</c>.</param>
/// <param name="Significance">Clinical significance (LOINC answer), for a diagnostic implication.</param>
/// <param name="Evidence">Evidence level, as written.</param>
/// <param name="KnowledgeVersion">For an implication the pipeline derived from its knowledge store (never a lab's): the
/// store version its conclusion names. What reinterpretation may amend.</param>
/// <param name="Variation">For such a diagnostic implication, the ClinVar VariationID its conclusion names.</param>
public sealed record IndexedImplication(
    string Observation,
    string Profile,
    IReadOnlyList<string> DerivedFrom,
    IReadOnlyList<string> Medications,
    IReadOnlyList<string> Conditions,
    IReadOnlyList<string> Phenotypes,
    string? Significance,
    string? Evidence,
    string? KnowledgeVersion = null,
    string? Variation = null);

/// <summary>A molecular consequence Observation.</summary>
/// <param name="DerivedFrom">The variants it is the consequence of, <c>Observation/id</c>.</param>
/// <param name="Features">The features (transcripts) it is on, as written.</param>
/// <param name="Consequences">The consequence types, <c>system|code</c> (Sequence Ontology).</param>
/// <param name="Impact">The functional effect / impact, <c>system|code</c>, when stated.</param>
public sealed record IndexedConsequence(string Observation, IReadOnlyList<string> DerivedFrom, IReadOnlyList<string> Features, IReadOnlyList<string> Consequences, string? Impact);

/// <summary>A sequence-phase-relationship Observation: the variants it relates (its derivedFrom) and how (its value's code).</summary>
public sealed record IndexedPhaseRelationship(string Observation, IReadOnlyList<string> Variants, string? Relationship);
