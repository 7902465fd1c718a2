namespace PrecisionMed.Core.LabReports;

/// <summary>The report's status: HL7 v2 OBR-25, or the lab profile's default for VCF.</summary>
public enum ReportStatus
{
    Final,
    Preliminary,
    Corrected,
    Amended,
    Cancelled,
}

/// <summary>
/// The canonical lab report every format parses into and every FHIR builder reads: one per report
/// unit. It holds the lab's facts, already typed, and the account of everything that was not mapped.
/// </summary>
public sealed record LabReport
{
    /// <summary>The report's stable business key: filler order number, else the message control id.</summary>
    public required string Accession { get; init; }
    public required PatientDetails Patient { get; init; }
    public ReportStatus Status { get; init; } = ReportStatus.Final;

    /// <summary>
    /// False when the format cannot state a status (VCF) and <see cref="Status"/> is the default: then a report sent
    /// again for the same accession from other content is an amendment of the earlier one.
    /// </summary>
    public bool StatusStatedByLab { get; init; } = true;

    /// <summary>
    /// The lab's file says this is a genomic test, whether or not it holds a finding (a negative or withdrawn result): a VCF
    /// always; an HL7 v2 message by its OBR-4 code, its OBR-24 section (GE) or a genetic panel item among its OBX rows.
    /// </summary>
    public bool GenomicTest { get; init; }

    /// <summary>The lab's own test code (OBR-4), kept beside LOINC 51969-4.</summary>
    public CodedValue? TestCode { get; init; }
    public string? Effective { get; init; }
    public string? Issued { get; init; }
    public OrderDetails? Order { get; init; }
    public SpecimenDetails? Specimen { get; init; }

    public string? Conclusion { get; init; }
    public CodedValue? ConclusionCode { get; init; }
    public IReadOnlyList<CodedValue> GenesStudied { get; init; } = [];

    /// <summary>Reference genome (LOINC 62374-4 answer, e.g. LA26806-2 GRCh38).</summary>
    public CodedValue? GenomeBuild { get; init; }
    public IReadOnlyList<string> RegionsStudied { get; init; } = [];

    public IReadOnlyList<VariantFinding> Variants { get; init; } = [];
    public IReadOnlyList<DiagnosticImplicationFinding> DiagnosticImplications { get; init; } = [];
    public IReadOnlyList<HaplotypeFinding> Haplotypes { get; init; } = [];
    public IReadOnlyList<GenotypeFinding> Genotypes { get; init; } = [];
    public IReadOnlyList<TherapeuticImplicationFinding> TherapeuticImplications { get; init; } = [];
    public IReadOnlyList<PhaseRelationshipFinding> PhaseRelationships { get; init; } = [];
    public IReadOnlyList<MolecularConsequenceFinding> MolecularConsequences { get; init; } = [];
    public IReadOnlyList<LabResult> LabResults { get; init; } = [];
    public IReadOnlyList<ReportDocument> Documents { get; init; } = [];
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>
    /// How the HGVS components were completed (see <c>HgvsCompletion</c>); null until they were, so completing twice
    /// changes nothing.
    /// </summary>
    public HgvsCounts? Hgvs { get; init; }

    /// <summary>The knowledge store version the report was enriched with (recorded in its Provenance); null when not enriched.</summary>
    public string? KnowledgeVersion { get; init; }

    /// <summary>Everything the lab sent that was not mapped, with where and why: nothing is dropped silently.</summary>
    public IReadOnlyList<LabFileProblem> Skipped { get; init; } = [];

    /// <summary>Positioned problems a format lists at most in <see cref="Skipped"/> (a VCF of many bad lines); the rest are counted.</summary>
    public const int MaxListedProblems = 1000;

    /// <summary>Positioned problems counted beyond the <see cref="MaxListedProblems"/> listed; the report says how many.</summary>
    public long UnlistedProblems { get; init; }

    /// <summary>
    /// For a VCF: the sample's genotypes at the defining positions of the pharmacogenes the knowledge store calls star
    /// alleles for, per gene the file covers; enrichment calls the diplotypes from them.
    /// </summary>
    public IReadOnlyList<ObservedPharmacogene> PharmacogeneGenotypes { get; init; } = [];

    /// <summary>For a VCF: the diplotypes the lab called itself and wrote into the file, per gene; enrichment weighs them against the called ones.</summary>
    public IReadOnlyList<StatedDiplotypes> LabDiplotypes { get; init; } = [];

    /// <summary>
    /// For files of many records (VCF): how every record was accounted for, by outcome (reported, or the rule that
    /// skipped it), so the ledger can say what happened to each line without listing them.
    /// </summary>
    public IReadOnlyDictionary<string, long> RecordCounts { get; init; } = new Dictionary<string, long>();
}

/// <summary>
/// Who the report is about. Identifiers find or create the EMR's Patient; name, birth date and sex
/// are kept only for the identity check and a conditional create, never logged.
/// </summary>
public sealed record PatientDetails(
    IReadOnlyList<PatientIdentifier> Identifiers,
    string? FamilyName = null,
    IReadOnlyList<string>? GivenNames = null,
    string? BirthDate = null,
    string? Gender = null);

public sealed record PatientIdentifier(string System, string Value, string? TypeCode = null);

/// <summary>The order: placer and filler numbers (ORC-2/3, OBR-2/3) and what was ordered.</summary>
public sealed record OrderDetails(string? PlacerNumber, string? FillerNumber, CodedValue? Code, string? PlacerSystem = null, string? FillerSystem = null);

/// <summary>The specimen (SPM): identifier, type and collection time.</summary>
public sealed record SpecimenDetails(string Key, string? Identifier, CodedValue? Type, string? Collected = null, string? Received = null);
