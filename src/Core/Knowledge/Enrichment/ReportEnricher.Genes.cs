using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Knowledge.Enrichment;

public sealed partial class ReportEnricher
{
    private const string GeneStudied = "48018-6";

    private async Task<VariantFinding> NormaliseVariantGenesAsync(EnrichmentRun run, VariantFinding variant, CancellationToken cancellationToken)
    {
        if (!variant.Components.Any(c => c.Code.Code == GeneStudied && c.Value is CodedValue)) return variant;
        var components = new List<ReportComponent>(variant.Components.Count);
        foreach (var component in variant.Components)
        {
            components.Add(component.Code.Code == GeneStudied && component.Value is CodedValue gene
                ? component with { Value = await NormaliseGeneAsync(run, gene, $"variant {variant.Key}", cancellationToken) }
                : component);
        }

        return variant with { Components = components };
    }

    private async Task<IReadOnlyList<CodedValue>> NormaliseGenesAsync(
        EnrichmentRun run, IReadOnlyList<CodedValue> genes, string path, CancellationToken cancellationToken)
    {
        if (genes.Count == 0) return genes;
        var normalised = new List<CodedValue>(genes.Count);
        foreach (var gene in genes) normalised.Add(await NormaliseGeneAsync(run, gene, path, cancellationToken));
        return normalised;
    }

    /// <summary>
    /// The gene as its HGNC id and approved symbol (from an HGNC id, an approved, alias or previous symbol); other
    /// codings the lab sent are kept beside it. A gene the store does not know, or a symbol naming several genes, is
    /// kept as the lab sent it, with a diagnostic.
    /// </summary>
    private async Task<CodedValue> NormaliseGeneAsync(EnrichmentRun run, CodedValue gene, string path, CancellationToken cancellationToken)
    {
        var key = string.Join('|', gene.Codings.Select(c => $"{c.System}^{c.Code}^{c.Display}")) + "|" + gene.Text;
        if (run.Genes.TryGetValue(key, out var known)) return known;

        var hgnc = gene.Codings.FirstOrDefault(c => c.Code is { Length: > 0 } code
            && (c.System == Coding.Hgnc || code.StartsWith("HGNC:", StringComparison.OrdinalIgnoreCase)));
        var symbol = hgnc?.Display ?? gene.Codings.Select(c => c.Display ?? c.Code).FirstOrDefault(s => !string.IsNullOrWhiteSpace(s)) ?? gene.Text;
        string? hgncId = null, approved = null;
        if (hgnc is not null && await knowledge.FindGeneAsync(hgnc.Code!, cancellationToken) is { } document)
        {
            (hgncId, approved) = (document.HgncId, document.Symbol);
        }
        else if (!string.IsNullOrWhiteSpace(symbol) && await knowledge.FindSymbolAsync(symbol, cancellationToken) is { } named)
        {
            if (named.Resolve() is { } target) (hgncId, approved) = (target.HgncId, target.ApprovedSymbol);
            else
            {
                run.Problem(path, GeneStudied, $"the gene symbol '{symbol}' names {named.Genes.Count} genes in the knowledge store (version {run.Version}): kept as the lab sent it");
                return run.Genes[key] = gene;
            }
        }

        if (hgncId is null)
        {
            run.Problem(path, GeneStudied, $"the gene '{symbol ?? hgnc?.Code}' is not in the knowledge store (version {run.Version}): kept as the lab sent it");
            return run.Genes[key] = gene;
        }

        var normalised = hgnc is not null && hgnc.System == Coding.Hgnc && hgnc.Code == hgncId && hgnc.Display == approved
            ? gene
            : gene with { Codings = [new Coding(Coding.Hgnc, hgncId, approved), .. gene.Codings.Where(c => c != hgnc && c.System != Coding.Hgnc)] };
        return run.Genes[key] = normalised;
    }

    /// <summary>The approved symbol of a normalised gene, or the lab's text.</summary>
    private static string? SymbolOf(CodedValue? gene) =>
        gene?.Codings.FirstOrDefault(c => c.System == Coding.Hgnc)?.Display ?? gene?.Codings.FirstCoding()?.Display ?? gene?.Text;
}
