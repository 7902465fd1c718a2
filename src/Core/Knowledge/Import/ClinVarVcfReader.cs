using System.Globalization;
using System.Runtime.CompilerServices;

namespace PrecisionMed.Core.Knowledge.Import;

/// <summary>
/// ClinVar's VCF release (<c>clinvar.vcf.gz</c>, one file per assembly): per record a document by build:chrom:pos:ref:alt
/// (the build from <c>##reference</c>) and one by its <c>CLNHGVS</c> genomic expression. ID is the VariationID; INFO gives
/// CLNSIG, CLNREVSTAT, GENEINFO, CLNDN/CLNDISDB, RS and ORIGIN, with ClinVar's underscores for spaces. A release carries
/// no per-variant evaluation date: <c>##fileDate</c> is recorded as the classification's release date. Records without a
/// germline CLNSIG (somatic-only ones carry ONC or SCI) are listed as not imported.
/// </summary>
public sealed class ClinVarVcfReader : IKnowledgeSourceReader
{
    public IAsyncEnumerable<KnowledgeDocument> ReadAsync(Stream content, ImportDiagnostics diagnostics, CancellationToken cancellationToken) =>
        ReadAsync(SourceLines.ReadAsync(content, cancellationToken), diagnostics, cancellationToken);

    internal static async IAsyncEnumerable<KnowledgeDocument> ReadAsync(
        IAsyncEnumerable<(string Line, long Number)> lines, ImportDiagnostics diagnostics, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? build = null, releaseDate = null;
        var header = false;
        await foreach (var (line, number) in lines.WithCancellation(cancellationToken))
        {
            if (line.Length == 0) continue;
            if (line.StartsWith("##", StringComparison.Ordinal))
            {
                if (line.StartsWith("##reference=", StringComparison.Ordinal)) build = KnowledgeIds.NormaliseBuild(line["##reference=".Length..]);
                else if (line.StartsWith("##fileDate=", StringComparison.Ordinal)) releaseDate = ReleaseDate(line["##fileDate=".Length..]);
                continue;
            }

            if (line.StartsWith('#'))
            {
                if (build is not ("GRCh37" or "GRCh38"))
                {
                    diagnostics.Add(number, "##reference", "not a ClinVar VCF release: no ##reference=GRCh37 or GRCh38 line before the header");
                    yield break;
                }

                header = true;
                continue;
            }

            if (!header)
            {
                diagnostics.Add(number, "#CHROM", "not a ClinVar VCF release: a record before the #CHROM header");
                yield break;
            }

            var fields = line.Split('\t');
            if (fields.Length < 8)
            {
                diagnostics.Add(number, "INFO", $"the record has {fields.Length} columns, a VCF record at least 8");
                continue;
            }

            var info = Info(fields[7]);
            if (!info.TryGetValue("CLNSIG", out var significance) || significance.Length == 0)
            {
                diagnostics.Add(number, "CLNSIG", "the record has no germline classification (CLNSIG)");
                continue;
            }

            if (!long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var position) || position <= 0
                || !IsAlleles(fields[3]) || !IsAlleles(fields[4]))
            {
                diagnostics.Add(number, "POS", "the record has no usable position and alleles");
                continue;
            }

            var classification = Classification(fields[2], info, releaseDate);
            yield return new VariantDocument(new VariantLocation(build!, KnowledgeIds.NormaliseChromosome(fields[0]), position, fields[3], fields[4]), classification);
            if (info.TryGetValue("CLNHGVS", out var hgvs))
            {
                foreach (var expression in hgvs.Split('|'))
                {
                    if (expression.StartsWith("NC_", StringComparison.Ordinal) && expression.Contains(":g.", StringComparison.Ordinal))
                        yield return new VariantHgvsDocument(expression, classification);
                }
            }
        }
    }

    private static VariantClassification Classification(string id, Dictionary<string, string> info, string? releaseDate)
    {
        var genes = info.TryGetValue("GENEINFO", out var geneInfo)
            ? geneInfo.Split('|').Select(g => g.Split(':')[0]).Where(g => g.Length > 0).ToList()
            : [];
        return new VariantClassification(
            "ClinVar",
            id is "." or "" ? null : id,
            info.TryGetValue("CLNHGVS", out var hgvs) ? hgvs.Split('|')[0] : null,
            genes,
            [],
            Significance(info["CLNSIG"]),
            info.TryGetValue("CLNREVSTAT", out var review) ? Words(review) : null,
            Conditions(info.GetValueOrDefault("CLNDN"), info.GetValueOrDefault("CLNDISDB")),
            LastEvaluated: null,
            info.TryGetValue("RS", out var rs) && long.TryParse(rs.Split('|')[0], CultureInfo.InvariantCulture, out var number) && number > 0 ? "rs" + number.ToString(CultureInfo.InvariantCulture) : null,
            info.TryGetValue("ORIGIN", out var origin) ? Origin(origin) : null,
            releaseDate);
    }

    /// <summary>
    /// ClinVar's words as variant_summary spells them: <c>Pathogenic/Likely_pathogenic|_risk_factor</c> is
    /// <c>Pathogenic/Likely pathogenic, risk factor</c>, <c>criteria_provided,_single_submitter</c> is <c>criteria provided, single submitter</c>.
    /// </summary>
    private static string Significance(string value) =>
        string.Join(", ", value.Split(['|', ','], StringSplitOptions.RemoveEmptyEntries).Select(Words).Where(w => w.Length > 0));

    private static string Words(string value) => Uri.UnescapeDataString(value).Replace('_', ' ').Trim();

    /// <summary>CLNDN and CLNDISDB are '|'-separated and aligned, like variant_summary's PhenotypeList and PhenotypeIDS.</summary>
    private static List<VariantCondition> Conditions(string? names, string? ids)
    {
        if (names is null) return [];
        var nameList = names.Split('|');
        var idList = ids?.Split('|') ?? [];
        var conditions = new List<VariantCondition>();
        for (var i = 0; i < nameList.Length; i++)
        {
            var name = Words(nameList[i]);
            if (name.Length == 0 || name is "not provided" or "not specified" or "See cases") continue;
            var conditionIds = i < idList.Length && idList[i] != "."
                ? idList[i].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : [];
            conditions.Add(new VariantCondition(name, conditionIds));
        }

        return conditions;
    }

    /// <summary>
    /// ORIGIN is a bit mask (1 germline, 2 somatic, 4 inherited, 8 paternal, 16 maternal, 32 de novo, 64 biparental,
    /// 128 uniparental: the germline kinds): in variant_summary's OriginSimple words.
    /// </summary>
    private static string? Origin(string value)
    {
        if (!long.TryParse(value.Split('|')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var mask)) return null;
        var germline = (mask & 0b1111_1101) != 0;
        var somatic = (mask & 2) != 0;
        return (germline, somatic) switch
        {
            (true, true) => "germline/somatic",
            (true, false) => "germline",
            (false, true) => "somatic",
            _ => mask == 0 ? "unknown" : "not applicable",
        };
    }

    /// <summary><c>2019-08-05</c> from <c>##fileDate=2019-08-05</c> (older releases write <c>20190805</c>).</summary>
    private static string? ReleaseDate(string value)
    {
        var text = value.Trim();
        return DateOnly.TryParseExact(text, ["yyyy-MM-dd", "yyyyMMdd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : null;
    }

    private static Dictionary<string, string> Info(string column)
    {
        var info = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in column.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0) info[entry[..equals]] = entry[(equals + 1)..];
        }

        return info;
    }

    private static bool IsAlleles(string alleles) => alleles.Length > 0 && alleles.All(c => c is 'A' or 'C' or 'G' or 'T' or 'N' or 'a' or 'c' or 'g' or 't' or 'n');
}
