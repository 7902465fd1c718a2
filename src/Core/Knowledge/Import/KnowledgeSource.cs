namespace PrecisionMed.Core.Knowledge.Import;

/// <summary>The public sources <c>pmed knowledge import</c> reads, by the name given on the command line.</summary>
public enum KnowledgeSource
{
    /// <summary>HGNC <c>hgnc_complete_set.txt</c> (TSV, columns by header name).</summary>
    Hgnc,

    /// <summary>ClinVar <c>variant_summary.txt(.gz)</c> (TSV, 43 columns, GRCh37 and GRCh38 rows).</summary>
    ClinVar,

    /// <summary>PharmCAT <c>phenotype/GENE.json</c>: allele function and diplotype → phenotype (CPIC).</summary>
    PharmCatPhenotype,

    /// <summary>PharmCAT <c>definition/alleles/GENE_translation.json</c>: star-allele definitions.</summary>
    PharmCatAlleles,

    /// <summary>CPIC recommendations exported as TSV (one row per gene × phenotype × drug).</summary>
    CpicRecommendations,

    /// <summary>Lab profiles and their local-code → LOINC maps (JSON).</summary>
    LabProfiles,
}

public static class KnowledgeSources
{
    /// <summary>The command-line names: hgnc, clinvar, pharmcat-phenotype, pharmcat-alleles, cpic-recommendations, lab-profiles.</summary>
    public static IReadOnlyDictionary<string, KnowledgeSource> ByName { get; } = new Dictionary<string, KnowledgeSource>(StringComparer.OrdinalIgnoreCase)
    {
        ["hgnc"] = KnowledgeSource.Hgnc,
        ["clinvar"] = KnowledgeSource.ClinVar,
        ["pharmcat-phenotype"] = KnowledgeSource.PharmCatPhenotype,
        ["pharmcat-alleles"] = KnowledgeSource.PharmCatAlleles,
        ["cpic-recommendations"] = KnowledgeSource.CpicRecommendations,
        ["lab-profiles"] = KnowledgeSource.LabProfiles,
    };

    public static string NameOf(KnowledgeSource source) => ByName.First(p => p.Value == source).Key;
}
