using PrecisionMed.Core.Genomics.Index;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Enrichment;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Cds.Pgx;

/// <summary>One gene's result as a card states it: what guidelines match, and where it came from.</summary>
internal sealed record PatientGeneResult(PgxResult Result, IndexedReport Report, IndexedHaplotype Finding);

/// <summary>
/// A patient's pharmacogenomic results from the genomic index (one single-partition read of <c>Patient/id</c>): per gene
/// the newest final result's genotype, read the way enrichment reads a report's genotypes
/// (<see cref="ReportEnricher.DiplotypeOf"/>, the store's phenotype for the diplotype, HLA alleles), so a card's
/// phenotype is the one the report's own therapeutic implications were built from.
/// </summary>
internal static class PatientPharmacogenomics
{
    private static readonly HashSet<string> Reportable = new(["final", "amended", "corrected", "appended"], StringComparer.Ordinal);

    public static async Task<Dictionary<string, PatientGeneResult>> ReadAsync(
        IReadOnlyList<IndexedReport> reports, KnowledgeLookup knowledge, CancellationToken cancellationToken)
    {
        var results = new Dictionary<string, PatientGeneResult>(StringComparer.Ordinal);
        foreach (var report in reports.Where(r => r.Status is null || Reportable.Contains(r.Status)).OrderByDescending(r => r.TestDate, StringComparer.Ordinal))
        {
            foreach (var haplotype in report.Haplotypes)
            {
                if (await ResultOfAsync(haplotype, knowledge, cancellationToken) is not { } result) continue;
                results.TryAdd(result.Gene, new PatientGeneResult(result, report, haplotype)); // newest report first: it wins
            }
        }

        return results;
    }

    private static async Task<PgxResult?> ResultOfAsync(IndexedHaplotype haplotype, KnowledgeLookup knowledge, CancellationToken cancellationToken)
    {
        var genes = haplotype.Genes.Select(g => new CodedValue([new Coding(Coding.Hgnc, g.HgncId, g.Symbol)], g.Symbol)).ToList();
        var codings = haplotype.Codes.Select(c => c.Split('|', 2)).Select(c => new Coding(c[0].Length > 0 ? c[0] : null, c.Length > 1 ? c[1] : null)).ToList();
        var genotype = new GenotypeFinding(haplotype.Observation, new CodedValue(codings, haplotype.Name), genes, []);
        var symbol = haplotype.Genes.Select(g => g.Symbol).FirstOrDefault(s => s is not null)?.ToUpperInvariant()
            ?? (haplotype.Name.StartsWith("HLA-", StringComparison.OrdinalIgnoreCase) && haplotype.Name.Length > 5 ? haplotype.Name[..5].ToUpperInvariant() : null);
        if (symbol is not null && symbol.StartsWith("HLA-", StringComparison.Ordinal))
            return HlaAlleles.Parse(haplotype.Name) is { } alleles ? new PgxResult(symbol, haplotype.Observation, haplotype.Name, null, alleles) : null;
        if (ReportEnricher.DiplotypeOf(genotype) is not var (gene, diplotype)) return null;
        return await knowledge.FindPhenotypeAsync(gene, diplotype, cancellationToken) is { } phenotype
            ? new PgxResult(gene, haplotype.Observation, diplotype, phenotype, null)
            : null;
    }
}
