using System.Globalization;
using System.Runtime.CompilerServices;

namespace PrecisionMed.Core.Knowledge.Import;

/// <summary>
/// ClinVar <c>variant_summary.txt</c> (columns by header name, so older 34-column and newer 43-column files both read):
/// per row a document by build:chrom:pos:ref:alt (GRCh37 and GRCh38 rows, VCF-style PositionVCF/ReferenceAlleleVCF/
/// AlternateAlleleVCF) and documents by HGVS (the c. expression in Name, and g. for single-base substitutions).
/// Multi-gene rows keep every gene. Streaming: one row at a time. A file that starts as a VCF is ClinVar's VCF release
/// (<see cref="ClinVarVcfReader"/>): <c>pmed knowledge import clinvar</c> takes either.
/// </summary>
public sealed class ClinVarReader : IKnowledgeSourceReader
{
    private static readonly string[] Required =
        ["VariationID", "Name", "GeneSymbol", "ClinicalSignificance", "Assembly", "Chromosome", "PositionVCF", "ReferenceAlleleVCF", "AlternateAlleleVCF"];

    public async IAsyncEnumerable<KnowledgeDocument> ReadAsync(
        Stream content, ImportDiagnostics diagnostics, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var lines = SourceLines.ReadAsync(content, cancellationToken).GetAsyncEnumerator(cancellationToken);
        if (!await lines.MoveNextAsync()) yield break;
        var documents = lines.Current.Line.StartsWith("##fileformat=VCF", StringComparison.Ordinal)
            ? ClinVarVcfReader.ReadAsync(Remaining(lines), diagnostics, cancellationToken)
            : ReadSummaryAsync(Remaining(lines), diagnostics, cancellationToken);
        await foreach (var document in documents) yield return document;
    }

    /// <summary>The line the enumerator is on, then the rest.</summary>
    private static async IAsyncEnumerable<(string Line, long Number)> Remaining(IAsyncEnumerator<(string Line, long Number)> lines)
    {
        do yield return lines.Current;
        while (await lines.MoveNextAsync());
    }

    private static async IAsyncEnumerable<KnowledgeDocument> ReadSummaryAsync(
        IAsyncEnumerable<(string Line, long Number)> lines, ImportDiagnostics diagnostics, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Columns? columns = null;
        var row = new TsvRow();
        string? lastHgvs = null;
        await foreach (var (line, number) in lines.WithCancellation(cancellationToken))
        {
            if (line.Length == 0) continue;
            if (columns is null)
            {
                var header = TsvRow.Header(line);
                if (Required.FirstOrDefault(c => !header.ContainsKey(c)) is { } missing)
                {
                    diagnostics.Add(number, missing, "not a ClinVar variant_summary file: the header lacks this column");
                    yield break;
                }

                columns = new Columns(header);
                continue;
            }

            row.Reset(line, number);
            var classification = Classification(row, columns);
            if (classification is null)
            {
                diagnostics.Add(number, "ClinicalSignificance", "the row has no clinical significance");
                continue;
            }

            var build = row.Value(columns.Assembly) is { } assembly ? KnowledgeIds.NormaliseBuild(assembly) : null;
            var chromosome = row.Value(columns.Chromosome);
            var reference = row.Value(columns.Ref);
            var alternate = row.Value(columns.Alt);
            var hasPosition = long.TryParse(row.Span(columns.Position), NumberStyles.Integer, CultureInfo.InvariantCulture, out var position) && position > 0;
            if (build is "GRCh37" or "GRCh38" && chromosome is not null && hasPosition && reference is not null && alternate is not null)
            {
                yield return new VariantDocument(new VariantLocation(build, KnowledgeIds.NormaliseChromosome(chromosome), position, reference, alternate), classification);

                var accession = row.Value(columns.Accession);
                if (accession is not null && accession.StartsWith("NC_", StringComparison.Ordinal) && reference.Length == 1 && alternate.Length == 1)
                    yield return new VariantHgvsDocument(string.Create(CultureInfo.InvariantCulture, $"{accession}:g.{position}{reference}>{alternate}"), classification);
            }

            // A variant's GRCh37 and GRCh38 rows are adjacent and name the same c. expression: written once.
            if (CodingHgvs(classification.Name) is { } hgvs && hgvs != lastHgvs)
            {
                lastHgvs = hgvs;
                yield return new VariantHgvsDocument(hgvs, classification);
            }
        }
    }

    private static VariantClassification? Classification(TsvRow row, Columns columns)
    {
        var significance = row.Value(columns.Significance);
        if (significance is null) return null;
        var rs = row.Value(columns.Rs);
        return new VariantClassification(
            "ClinVar",
            row.Value(columns.VariationId),
            row.Value(columns.Name),
            row.Values(columns.GeneSymbol, ';', ','),
            [.. row.Values(columns.HgncId, ';', ',').Select(KnowledgeIds.NormaliseHgncId)],
            significance,
            row.Value(columns.ReviewStatus),
            Conditions(row.Value(columns.PhenotypeList), row.Value(columns.PhenotypeIds)),
            row.Value(columns.LastEvaluated),
            rs is not null && long.TryParse(rs, CultureInfo.InvariantCulture, out var number) && number > 0 ? "rs" + rs : null,
            row.Value(columns.Origin));
    }

    /// <summary>PhenotypeList and PhenotypeIDS are '|'-separated and aligned; placeholders such as "not provided" are not conditions.</summary>
    private static List<VariantCondition> Conditions(string? names, string? ids)
    {
        if (names is null) return [];
        var nameList = names.Split('|');
        var idList = ids?.Split('|') ?? [];
        var conditions = new List<VariantCondition>();
        for (var i = 0; i < nameList.Length; i++)
        {
            var name = nameList[i].Trim();
            if (name.Length == 0 || name is "not provided" or "not specified" or "See cases" || name.EndsWith(" conditions", StringComparison.Ordinal)) continue;
            var conditionIds = i < idList.Length
                ? idList[i].Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : [];
            conditions.Add(new VariantCondition(name, conditionIds));
        }

        return conditions;
    }

    /// <summary><c>NM_014049.4:c.1249C&gt;T</c> from ClinVar's Name <c>NM_014049.4(ACAD9):c.1249C&gt;T (p.Arg417Cys)</c>.</summary>
    internal static string? CodingHgvs(string? name)
    {
        if (name is null) return null;
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon < 4 || name.Length < colon + 3 || name[colon + 2] != '.') return null;
        var reference = name[..colon];
        var gene = reference.IndexOf('(', StringComparison.Ordinal);
        if (gene > 0) reference = reference[..gene];
        if (reference.Length < 4 || reference[2] != '_') return null;
        var change = name[(colon + 1)..];
        var space = change.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0) change = change[..space];
        return reference + ":" + change;
    }

    private sealed class Columns(Dictionary<string, int> header)
    {
        public int VariationId { get; } = header["VariationID"];
        public int Name { get; } = header["Name"];
        public int GeneSymbol { get; } = header["GeneSymbol"];
        public int HgncId { get; } = Optional(header, "HGNC_ID");
        public int Significance { get; } = header["ClinicalSignificance"];
        public int ReviewStatus { get; } = Optional(header, "ReviewStatus");
        public int PhenotypeIds { get; } = Optional(header, "PhenotypeIDS");
        public int PhenotypeList { get; } = Optional(header, "PhenotypeList");
        public int LastEvaluated { get; } = Optional(header, "LastEvaluated");
        public int Rs { get; } = Optional(header, "RS# (dbSNP)");
        public int Origin { get; } = Optional(header, "OriginSimple");
        public int Assembly { get; } = header["Assembly"];
        public int Accession { get; } = Optional(header, "ChromosomeAccession");
        public int Chromosome { get; } = header["Chromosome"];
        public int Position { get; } = header["PositionVCF"];
        public int Ref { get; } = header["ReferenceAlleleVCF"];
        public int Alt { get; } = header["AlternateAlleleVCF"];

        private static int Optional(Dictionary<string, int> header, string name) => header.TryGetValue(name, out var index) ? index : -1;
    }
}
