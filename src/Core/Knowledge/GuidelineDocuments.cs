namespace PrecisionMed.Core.Knowledge;

/// <summary>
/// Every CPIC and DPWG recommendation whose guideline names exactly <see cref="Genes"/> (one gene, or all genes of a
/// multi-gene guideline such as amitriptyline's CYP2C19 and CYP2D6), for every drug: enrichment reads one per gene set
/// the report touches, once, and matches each recommendation's lookup key against the report's results for those genes.
/// The recommendations repeat the same few wordings across hundreds of key combinations (the tricyclics' 1,075), so
/// the wordings are held once in <see cref="Texts"/> and referred to by index: the largest set (CYP2C19 with CYP2D6)
/// is about 300 KB instead of over 1 MB, well under Cosmos DB's 2 MB document limit.
/// </summary>
public sealed record GuidelineSetDocument(
    IReadOnlyList<string> Genes,
    IReadOnlyList<GuidelineEntry> Guidelines,
    IReadOnlyList<string> Texts) : KnowledgeDocument
{
    public override string Id => KnowledgeIds.GuidelineSet(Genes);
}

/// <summary>One guideline package: CPIC or DPWG, its PharmGKB annotation, drugs and keyed recommendations.</summary>
/// <param name="Source">CPIC or DPWG, as the package states it.</param>
/// <param name="Url">The guideline's PharmGKB annotation page, cited by each implication.</param>
public sealed record GuidelineEntry(
    string Source,
    string Id,
    string Name,
    string? Url,
    string? Version,
    IReadOnlyList<GuidelineDrug> Drugs,
    IReadOnlyList<GuidelineRecommendation> Recommendations);

/// <summary>A drug by its name and PharmGKB id (the drug table gives its RxNorm ingredient).</summary>
public sealed record GuidelineDrug(string Name, string PharmGkbId);

/// <summary>
/// One recommendation for one drug, keyed as CPIC keys it: per gene of the guideline a phenotype, an activity score,
/// an HLA result (<c>*57:01 positive</c>), <c>No Result</c> when the gene was not tested, or a count of named alleles
/// (DPWG, stored as the diplotype it counts: <c>{"*2": 2}</c> is <c>*2/*2</c>).
/// </summary>
/// <param name="Text">Index into <see cref="GuidelineSetDocument.Texts"/>: the recommendation as plain text.</param>
/// <param name="Implications">Indexes into <see cref="GuidelineSetDocument.Texts"/>: what the result means, per gene.</param>
/// <param name="ChangesPrescribing">The package's flags: dosing information, an alternative drug or other prescribing guidance.</param>
public sealed record GuidelineRecommendation(
    string Id,
    string DrugId,
    IReadOnlyList<GuidelineLookupKey> LookupKey,
    int Text,
    string? Classification,
    IReadOnlyList<int> Implications,
    string? Population,
    PrescribingChange ChangesPrescribing);

public sealed record GuidelineLookupKey(string Gene, string Value)
{
    /// <summary>CPIC's key for a gene the report has no result for.</summary>
    public const string NoResult = "No Result";
}

/// <summary>What a recommendation asks of the prescriber, from the package's three flags.</summary>
[Flags]
public enum PrescribingChange
{
    None = 0,
    Dosing = 1,
    AlternateDrug = 2,
    OtherGuidance = 4,
}

/// <summary>The gene sets that have guideline documents, with their drugs: read once, to know which sets a report touches.</summary>
public sealed record GuidelineIndexDocument(IReadOnlyList<GuidelineGeneSet> GeneSets) : KnowledgeDocument
{
    public override string Id => KnowledgeIds.GuidelineIndex;
}

public sealed record GuidelineGeneSet(IReadOnlyList<string> Genes, IReadOnlyList<string> Drugs);

/// <summary>CPIC's drug table: per PharmGKB id the RxNorm ingredient, DrugBank and ATC codes. One document (a few hundred drugs).</summary>
public sealed record DrugTableDocument(IReadOnlyList<DrugCodes> Drugs) : KnowledgeDocument
{
    public override string Id => KnowledgeIds.DrugTable;
}

/// <param name="DrugId">CPIC's own id (<c>RxNorm:190521</c>, <c>ATC:C09AA</c> for a class).</param>
public sealed record DrugCodes(string DrugId, string Name, string? PharmGkbId, string? RxNorm, string? DrugBank, IReadOnlyList<string> Atc);

/// <summary>CPIC's example pre- and post-test alert language for one drug (from its guideline's CDS workbook).</summary>
public sealed record CdsAlertDocument(string Drug, IReadOnlyList<CdsAlert> Alerts) : KnowledgeDocument
{
    public override string Id => KnowledgeIds.CdsAlerts(Drug);
}

/// <param name="Context">pre-test, post-test or none (CPIC's "No CDS").</param>
/// <param name="Triggers">The conditions of the row as <c>column: value</c> (drug ordered, phenotype, activity score, allele).</param>
/// <param name="Population">The workbook sheet's or column's population (H. pylori, adults, pediatrics), when it names one.</param>
/// <param name="File">The workbook sheet it came from, for provenance.</param>
public sealed record CdsAlert(string Context, IReadOnlyList<string> Triggers, string Text, string? Population, string File);
