namespace PrecisionMed.Core.Knowledge.Import;

/// <summary>The public sources <c>pmed knowledge import</c> reads, by the name given on the command line.</summary>
public enum KnowledgeSource
{
    /// <summary>HGNC <c>hgnc_complete_set.txt</c> (TSV, columns by header name).</summary>
    Hgnc,

    /// <summary>ClinVar <c>variant_summary.txt(.gz)</c> (TSV, 43 columns, GRCh37 and GRCh38 rows) or its VCF release <c>clinvar.vcf.gz</c> (told apart by content).</summary>
    ClinVar,

    /// <summary>PharmCAT <c>phenotype/GENE.json</c>: allele function and diplotype → phenotype (CPIC).</summary>
    PharmCatPhenotype,

    /// <summary>PharmCAT <c>definition/alleles/GENE_translation.json</c>: star-allele definitions.</summary>
    PharmCatAlleles,

    /// <summary>
    /// PharmCAT's CPIC and DPWG guideline packages (<c>reporter/guidelines/*.json</c>): a folder of them, or a zip. A
    /// set: guidelines are stored by gene set, and a gene's guidelines come from several packages.
    /// </summary>
    PharmCatGuidelines,

    /// <summary>CPIC's drug table (TSV: drugid, name, pharmgkbid, rxnormid, drugbankid, atcid).</summary>
    CpicDrugs,

    /// <summary>CPIC's guideline workbooks as TSV (a folder or zip): their pre- and post-test alert sheets. A set: a drug's alerts span sheets.</summary>
    CpicAlerts,

    /// <summary>Lab profiles and their local-code → LOINC maps (JSON).</summary>
    LabProfiles,

    /// <summary>
    /// RxNorm's release files, <c>RXNCONSO.RRF</c> and <c>RXNREL.RRF</c> (the release's <c>rrf</c> folder, or a zip of
    /// it): each clinical or branded drug, pack and brand name with the ingredients it resolves to. A set: the two files
    /// make one table.
    /// </summary>
    RxNorm,
}

public static class KnowledgeSources
{
    /// <summary>The command-line names: hgnc, clinvar, pharmcat-phenotype, pharmcat-alleles, pharmcat-guidelines, cpic-drugs, cpic-alerts, lab-profiles, rxnorm.</summary>
    public static IReadOnlyDictionary<string, KnowledgeSource> ByName { get; } = new Dictionary<string, KnowledgeSource>(StringComparer.OrdinalIgnoreCase)
    {
        ["hgnc"] = KnowledgeSource.Hgnc,
        ["clinvar"] = KnowledgeSource.ClinVar,
        ["pharmcat-phenotype"] = KnowledgeSource.PharmCatPhenotype,
        ["pharmcat-alleles"] = KnowledgeSource.PharmCatAlleles,
        ["pharmcat-guidelines"] = KnowledgeSource.PharmCatGuidelines,
        ["cpic-drugs"] = KnowledgeSource.CpicDrugs,
        ["cpic-alerts"] = KnowledgeSource.CpicAlerts,
        ["lab-profiles"] = KnowledgeSource.LabProfiles,
        ["rxnorm"] = KnowledgeSource.RxNorm,
    };

    public static string NameOf(KnowledgeSource source) => ByName.First(p => p.Value == source).Key;

    /// <summary>Whether the source is read as a set of files (a folder or a zip) rather than one file.</summary>
    public static bool IsSet(KnowledgeSource source) => source is KnowledgeSource.PharmCatGuidelines or KnowledgeSource.CpicAlerts or KnowledgeSource.RxNorm;
}
