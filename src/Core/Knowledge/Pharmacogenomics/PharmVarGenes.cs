namespace PrecisionMed.Core.Knowledge.Pharmacogenomics;

/// <summary>
/// The genes whose star alleles PharmVar (<c>http://www.pharmvar.org</c>, the system of the IG's PGx examples) names.
/// Of the genes the embedded PharmCAT definitions call: the CYPs, DPYD, NUDT15, SLCO1B1 and NAT2 (moved to PharmVar in
/// March 2024). The others have other nomenclatures: TPMT's and UGT1A1's own committees, G6PD's WHO class names, CFTR's
/// variant names, ABCG2/IFNL3/VKORC1/RYR1/CACNA1S named by rsID or variant, MT-RNR1 by m. change, HLA by IPD-IMGT/HLA
/// (whose GL-string coding needs the IPD-IMGT/HLA release, which a diplotype text does not carry).
/// </summary>
public static class PharmVarGenes
{
    private static readonly HashSet<string> Genes = new(
        [
            "CYP1A1", "CYP1A2", "CYP2A6", "CYP2A13", "CYP2B6", "CYP2C8", "CYP2C9", "CYP2C19", "CYP2D6", "CYP2E1", "CYP3A4", "CYP3A5",
            "CYP3A7", "CYP3A43", "CYP4F2", "DPYD", "NAT2", "NUDT15", "SLCO1B1",
        ],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether PharmVar names the alleles of the gene with HGNC symbol <paramref name="symbol"/>.</summary>
    public static bool Catalogues(string? symbol) => symbol is not null && Genes.Contains(symbol.Trim());
}
