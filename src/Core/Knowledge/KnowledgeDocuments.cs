using System.Text.Json.Serialization;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Knowledge;

/// <summary>
/// One document of the clinical-genomic knowledge store. Its <see cref="Id"/> is derived from its natural key
/// (<see cref="KnowledgeIds"/>) and is also its partition key, so every lookup the enrichment makes is a point read.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(GeneDocument), "gene")]
[JsonDerivedType(typeof(GeneSymbolDocument), "gene-symbol")]
[JsonDerivedType(typeof(VariantDocument), "variant")]
[JsonDerivedType(typeof(VariantHgvsDocument), "variant-hgvs")]
[JsonDerivedType(typeof(AlleleFunctionDocument), "pgx-allele")]
[JsonDerivedType(typeof(DiplotypePhenotypeDocument), "pgx-diplotype")]
[JsonDerivedType(typeof(AlleleDefinitionDocument), "pgx-definition")]
[JsonDerivedType(typeof(AlleleExemptionDocument), "pgx-exemption")]
[JsonDerivedType(typeof(GuidelineSetDocument), "pgx-guidelines")]
[JsonDerivedType(typeof(GuidelineIndexDocument), "pgx-guideline-index")]
[JsonDerivedType(typeof(DrugTableDocument), "pgx-drug-table")]
[JsonDerivedType(typeof(CdsAlertDocument), "pgx-cds-alerts")]
[JsonDerivedType(typeof(RxNormDrugDocument), "rxnorm-drug")]
[JsonDerivedType(typeof(LabCodeDocument), "lab-code")]
[JsonDerivedType(typeof(LabProfileDocument), "lab-profile")]
[JsonDerivedType(typeof(KnowledgeVersionDocument), "version")]
[JsonDerivedType(typeof(Diff.ClassificationInventoryDocument), "inventory")]
[JsonDerivedType(typeof(Diff.ClassificationBucketDocument), "inventory-bucket")]
[JsonDerivedType(typeof(Diff.KnowledgeDiffDocument), "diff")]
[JsonDerivedType(typeof(Diff.KnowledgeDiffPageDocument), "diff-page")]
[JsonDerivedType(typeof(Diff.KnowledgeDiffLogDocument), "diff-log")]
[JsonDerivedType(typeof(Diff.ReinterpretationRunLogDocument), "reinterpretation-runs")]
public abstract record KnowledgeDocument
{
    [JsonPropertyName("id")]
    public abstract string Id { get; }
}

/// <summary>An HGNC gene: approved symbol, name, locus, the symbols it was or is also known by, and its identifiers.</summary>
/// <param name="Status">HGNC's status when it is not Approved (<c>Entry Withdrawn</c>): such an entry is found by its id, never by its symbol.</param>
public sealed record GeneDocument(
    string HgncId,
    string Symbol,
    string Name,
    string? LocusGroup,
    string? Location,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> PreviousSymbols,
    string? EntrezId,
    string? EnsemblGeneId,
    IReadOnlyList<string> RefSeqAccessions,
    string? Status = null) : KnowledgeDocument
{
    public override string Id => KnowledgeIds.Gene(HgncId);
}

/// <summary>A symbol as a lab may write it (approved, alias or previous) and the gene(s) it names.</summary>
public sealed record GeneSymbolDocument(string Symbol, IReadOnlyList<GeneSymbolTarget> Genes) : KnowledgeDocument
{
    public override string Id => KnowledgeIds.Symbol(Symbol);

    /// <summary>The one gene the symbol names: its approved gene if it is one, else its only alias target; null when ambiguous.</summary>
    public GeneSymbolTarget? Resolve() =>
        Genes.FirstOrDefault(g => g.Relation == GeneSymbolTarget.Approved) ?? (Genes.Count == 1 ? Genes[0] : null);
}

/// <param name="Relation">approved, alias or previous.</param>
public sealed record GeneSymbolTarget(string HgncId, string ApprovedSymbol, string Relation)
{
    public const string Approved = "approved";
    public const string Alias = "alias";
    public const string Previous = "previous";
}

/// <summary>A variant's place in a reference genome, VCF-style (1-based position, normalised alleles).</summary>
public sealed record VariantLocation(string Build, string Chromosome, long Position, string Ref, string Alt);

/// <summary>What ClinVar says about a variant: significance, review status, conditions, when it was last evaluated.</summary>
/// <param name="ReleaseDate">The source release's date when the source states one (ClinVar's VCF <c>##fileDate</c>;
/// variant_summary has none, but LastEvaluated per row): the date of the classification in a knowledge diff.</param>
public sealed record VariantClassification(
    string Source,
    string? VariationId,
    string? Name,
    IReadOnlyList<string> Genes,
    IReadOnlyList<string> HgncIds,
    string Significance,
    string? ReviewStatus,
    IReadOnlyList<VariantCondition> Conditions,
    string? LastEvaluated,
    string? RsId,
    string? Origin,
    string? ReleaseDate = null)
{
    /// <summary>The public page of the classification, cited by the implication.</summary>
    public string? CitationUrl => Source == "ClinVar" && VariationId is { Length: > 0 } id ? $"https://www.ncbi.nlm.nih.gov/clinvar/variation/{id}/" : null;
}

/// <param name="Ids">Identifiers as the source writes them (<c>MONDO:MONDO:0012624</c>, <c>MedGen:C3150901</c>, <c>OMIM:613647</c>).</param>
public sealed record VariantCondition(string Name, IReadOnlyList<string> Ids);

/// <summary>A classification looked up by build:chrom:pos:ref:alt.</summary>
public sealed record VariantDocument(VariantLocation Location, VariantClassification Classification) : KnowledgeDocument
{
    public override string Id => KnowledgeIds.Variant(Location);
}

/// <summary>The same classification looked up by an HGVS expression (c. or g.).</summary>
public sealed record VariantHgvsDocument(string Hgvs, VariantClassification Classification) : KnowledgeDocument
{
    public override string Id => KnowledgeIds.Hgvs(Hgvs);
}

/// <summary>A star allele's function (CPIC, via PharmCAT): e.g. CYP2C19 *2 No function.</summary>
public sealed record AlleleFunctionDocument(string Gene, string Allele, string Function, string? ActivityValue, string Source) : KnowledgeDocument
{
    public override string Id => KnowledgeIds.AlleleFunction(Gene, Allele);
}

/// <summary>A diplotype's phenotype (CPIC, via PharmCAT): e.g. CYP2C19 *2/*2 Poor Metabolizer.</summary>
/// <param name="LookupKey">What CPIC's recommendations are keyed by for this diplotype: its activity score for the
/// scored genes (CYP2C9, CYP2D6, DPYD), else its phenotype.</param>
public sealed record DiplotypePhenotypeDocument(string Gene, string Diplotype, string Phenotype, string? ActivityScore, string Source, string? LookupKey = null) : KnowledgeDocument
{
    public override string Id => KnowledgeIds.Diplotype(Gene, Diplotype);
}

/// <summary>One lab-local code and the LOINC code it means.</summary>
public sealed record LabCodeDocument(string LabId, string? LocalSystem, string LocalCode, string Loinc, string? Display) : KnowledgeDocument
{
    public override string Id => KnowledgeIds.LabCode(LabId, LocalCode);
}

/// <summary>What the pipeline knows about a lab beyond its files: build and source-class defaults, patient identifier system.</summary>
public sealed record LabProfileDocument(
    string LabId,
    string? Name,
    string? GenomeBuild,
    string? SourceClass,
    string? PatientIdentifierSystem,
    IReadOnlyList<string> Formats,
    VcfIdentityProfile? VcfIdentity = null) : KnowledgeDocument
{
    public override string Id => KnowledgeIds.LabProfile(LabId);
}

/// <summary>
/// Where a lab's VCFs state who each sample column is, when the lab sends no manifest beside them:
/// <see cref="SampleHeader"/>, the <c>##SAMPLE=&lt;ID=column,Individual=id&gt;</c> lines (a <c>##PEDIGREE=&lt;ID=column,Original=sample&gt;</c>
/// line leads to the original sample's); or <see cref="SampleColumn"/>, the column name itself is the patient's identifier.
/// Either in <see cref="IdentifierSystem"/>. Without a profile saying so, neither is taken for a patient identifier.
/// </summary>
public sealed record VcfIdentityProfile(string Source, string IdentifierSystem)
{
    public const string SampleHeader = VcfIdentitySource.SampleHeader;
    public const string SampleColumn = VcfIdentitySource.SampleColumn;
}

/// <summary>
/// The store's version: one stamp per imported source (file hash and document count). The version string is
/// derived from the stamps, so re-importing the same file leaves it unchanged.
/// </summary>
public sealed record KnowledgeVersionDocument(string Version, IReadOnlyList<KnowledgeSourceStamp> Sources) : KnowledgeDocument
{
    public override string Id => KnowledgeIds.Version;
}

public sealed record KnowledgeSourceStamp(string Source, string File, string Sha256, long Documents);
