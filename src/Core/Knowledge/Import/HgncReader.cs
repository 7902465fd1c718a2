using System.Runtime.CompilerServices;

namespace PrecisionMed.Core.Knowledge.Import;

/// <summary>
/// HGNC <c>hgnc_complete_set.txt</c>: one gene document per row, as it is read. The symbol → gene documents need every
/// row first (an alias can name several genes), so the symbol index (a few MB for the whole set) is kept until the end.
/// Columns are found by header name: the 2018–2019 files (49 columns, <c>gene_family</c>) and the current ones (54,
/// <c>gene_group</c>, <c>mane_select</c>) read alike. A withdrawn entry (status <c>Entry Withdrawn</c>, its symbol
/// kept by the 2018–2019 files) stays findable by its HGNC id, with its status, but its symbols name nothing: a lab's
/// symbol must not resolve to a gene that no longer exists.
/// </summary>
public sealed class HgncReader : IKnowledgeSourceReader
{
    public async IAsyncEnumerable<KnowledgeDocument> ReadAsync(
        Stream content, ImportDiagnostics diagnostics, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Dictionary<string, int>? header = null;
        int id = -1, symbol = -1, name = -1, group = -1, location = -1, alias = -1, previous = -1, entrez = -1, ensembl = -1, refseq = -1, status = -1;
        var symbols = new Dictionary<string, List<GeneSymbolTarget>>(StringComparer.OrdinalIgnoreCase);
        var row = new TsvRow();
        await foreach (var (line, number) in SourceLines.ReadAsync(content, cancellationToken))
        {
            if (line.Length == 0) continue;
            if (header is null)
            {
                header = TsvRow.Header(line);
                if (!header.TryGetValue("hgnc_id", out id) || !header.TryGetValue("symbol", out symbol))
                {
                    diagnostics.Add(number, null, "not an HGNC complete set: the header has no hgnc_id and symbol columns");
                    yield break;
                }

                name = Column(header, "name");
                group = Column(header, "locus_group");
                location = Column(header, "location");
                alias = Column(header, "alias_symbol");
                previous = Column(header, "prev_symbol");
                entrez = Column(header, "entrez_id");
                ensembl = Column(header, "ensembl_gene_id");
                refseq = Column(header, "refseq_accession");
                status = Column(header, "status");
                continue;
            }

            row.Reset(line, number);
            var hgncId = row.Value(id);
            var approved = row.Value(symbol);
            if (hgncId is null || approved is null)
            {
                diagnostics.Add(number, hgncId is null ? "hgnc_id" : "symbol", "the row has no HGNC id or symbol");
                continue;
            }

            var state = row.Value(status);
            var withdrawn = state is not null && !state.Equals("Approved", StringComparison.OrdinalIgnoreCase);
            var gene = new GeneDocument(
                KnowledgeIds.NormaliseHgncId(hgncId), approved, row.Value(name) ?? approved, row.Value(group), row.Value(location),
                row.Values(alias, '|'), row.Values(previous, '|'), row.Value(entrez), row.Value(ensembl), row.Values(refseq, '|'),
                withdrawn ? state : null);
            if (withdrawn)
            {
                yield return gene;
                continue;
            }

            Index(symbols, approved, gene, GeneSymbolTarget.Approved);
            foreach (var a in gene.Aliases) Index(symbols, a, gene, GeneSymbolTarget.Alias);
            foreach (var p in gene.PreviousSymbols) Index(symbols, p, gene, GeneSymbolTarget.Previous);
            yield return gene;
        }

        foreach (var (text, targets) in symbols.OrderBy(s => s.Key, StringComparer.OrdinalIgnoreCase))
        {
            // Approved first, then by id: the same set in any row order gives the same document.
            yield return new GeneSymbolDocument(
                text.ToUpperInvariant(),
                [.. targets.OrderBy(t => t.Relation == GeneSymbolTarget.Approved ? 0 : 1).ThenBy(t => t.HgncId, StringComparer.Ordinal)]);
        }
    }

    private static int Column(Dictionary<string, int> header, string name) => header.TryGetValue(name, out var index) ? index : -1;

    private static void Index(Dictionary<string, List<GeneSymbolTarget>> symbols, string symbol, GeneDocument gene, string relation)
    {
        if (!symbols.TryGetValue(symbol, out var targets)) symbols[symbol] = targets = [];
        if (!targets.Any(t => t.HgncId == gene.HgncId && t.Relation == relation))
            targets.Add(new GeneSymbolTarget(gene.HgncId, gene.Symbol, relation));
    }
}
