using System.Text;
using System.Text.RegularExpressions;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Enrichment;

namespace PrecisionMed.Core.Cds.Pgx;

/// <summary>
/// The cards of one ordered drug: CPIC's recommendation for the patient's results (critical when it says to avoid the
/// drug, with a suggestion to remove the draft; warning for a dose change or alternative), or CPIC's pre-test language.
/// The summary names gene, phenotype, drug and action in under 140 characters; the detail (Markdown) states each gene's
/// genotype and phenotype with the lab and date, or that there is no result, then the recommendation, its strength
/// and implications.
/// </summary>
internal sealed partial class PgxCardWriter(
    CdsHookRequest request, OrderedDrug ordered, IReadOnlyDictionary<string, PatientGeneResult> patient, CdsOptions options, string version, string resultsFrom = PgxCardWriter.FromIndex)
{
    /// <summary>Where the patient's results were read, as the detail names it.</summary>
    public const string FromIndex = "genomic index";
    public const string FromFhir = "FHIR service";
    public const string FromEhrFhir = "EHR's FHIR server";

    public const string KindSystem = "https://precisionmed.example.org/cds/card-kind";
    public const string OverrideSystem = "https://precisionmed.example.org/cds/override-reason";

    /// <summary>Why a clinician may go ahead anyway; their codes are what feedback counts.</summary>
    public static readonly IReadOnlyList<CdsCoding> OverrideReasons =
    [
        new("tolerated-previously", OverrideSystem, "Patient has taken this drug before without problems"),
        new("benefit-outweighs-risk", OverrideSystem, "Benefit outweighs the pharmacogenomic risk"),
        new("will-monitor", OverrideSystem, "Will monitor response or drug levels"),
        new("result-not-applicable", OverrideSystem, "Genetic result not applicable (transplant, transfusion, disputed)"),
        new("no-alternative", OverrideSystem, "No suitable alternative available"),
    ];

    private string Drug => ordered.Drug.Name;

    /// <summary>The card for the recommendations reached (one per population); null when none changes prescribing.</summary>
    public CdsCard? Recommendation(IReadOnlyList<GuidelineMatch> reached)
    {
        var graded = reached.Select(m => (Match: m, Kind: KindOf(m))).OrderBy(m => m.Kind).ToList();
        var actionable = graded.Where(g => g.Kind != CdsCardKind.PgxInfo || g.Match.Recommendation is null).ToList();
        if (actionable.Count == 0) return null;
        var (first, kind) = actionable[0];
        var guideline = first.Guideline;
        var genes = guideline.Recommendations.Count == 0 ? GenesOf(first) : [.. first.Recommendation!.LookupKey.Select(k => k.Gene)];
        var results = genes.Where(patient.ContainsKey).Select(g => $"{g} {PhenotypeOf(patient[g].Result, first.Recommendation)}").ToList();
        var classification = Classified(first.Recommendation?.Classification);
        var summary = kind switch
        {
            CdsCardKind.PgxAvoid => $"{string.Join(", ", results)}: avoid {Drug}",
            CdsCardKind.PgxChange when first.Recommendation!.ChangesPrescribing.HasFlag(PrescribingChange.AlternateDrug) => $"{string.Join(", ", results)}: consider an alternative to {Drug}",
            CdsCardKind.PgxChange when first.Recommendation!.ChangesPrescribing.HasFlag(PrescribingChange.Dosing) => $"{string.Join(", ", results)}: adjust {Drug} dose",
            CdsCardKind.PgxChange => $"{string.Join(", ", results)}: {Drug} needs CPIC's prescribing guidance",
            _ => $"{string.Join(", ", results)}: dose {Drug} with CPIC's genotype-guided approach",
        };
        if (classification is not null) summary += $" (CPIC {classification})";

        var detail = new StringBuilder();
        WriteResults(detail, genes, first.Recommendation);
        foreach (var (match, _) in actionable)
        {
            var recommendation = match.Recommendation;
            detail.Append("**CPIC recommendation for ").Append(Drug);
            if (recommendation?.Population is { Length: > 0 } population && !population.Equals("general", StringComparison.OrdinalIgnoreCase))
                detail.Append(" (").Append(population).Append(')');
            detail.Append("**: ");
            if (recommendation is null)
            {
                detail.Append("CPIC's ").Append(match.Guideline.Name).Append(" doses with its genotype-guided algorithm rather than keyed recommendations; use the results above with it.\n\n");
                continue;
            }

            detail.Append(Markdown(match.Text(recommendation.Text))).Append("\n\n");
            detail.Append("- Strength (CPIC classification): ").Append(Classified(recommendation.Classification) ?? "not graded").Append('\n');
            var implications = recommendation.Implications.Select(match.Text).OfType<string>().Select(Markdown).ToList();
            if (implications.Count > 0) detail.Append("- Implication: ").Append(string.Join("; ", implications)).Append('\n');
            detail.Append('\n');
        }

        WriteSource(detail, guideline);
        var avoid = kind == CdsCardKind.PgxAvoid;
        var uuid = CdsCardIds.For(kind, request.HookInstance, ordered.OrderReference, ordered.Drug.DrugId, string.Join(',', actionable.Select(a => a.Match.Recommendation?.Id)));
        return new CdsCard(
            uuid,
            Shorten(summary),
            kind switch { CdsCardKind.PgxAvoid => CdsCard.Critical, CdsCardKind.PgxChange => CdsCard.Warning, _ => CdsCard.Info },
            Source(guideline, kind),
            detail.ToString().TrimEnd(),
            avoid ? [RemoveDraft(uuid)] : null,
            avoid ? CdsCard.AtMostOne : null,
            OverrideReasons,
            Links(guideline, genes));
    }

    /// <summary>CPIC's pre-test alert: the drug has a guideline and the patient no result for any of its genes.</summary>
    public CdsCard PreTest(GuidelineEntry guideline, IReadOnlyList<string> genes, CdsAlertDocument? alerts)
    {
        var detail = new StringBuilder();
        WriteResults(detail, genes, null);
        var language = alerts?.Alerts.Where(a => a.Context == "pre-test").Select(a => a.Text).Distinct(StringComparer.Ordinal).ToList() ?? [];
        if (language.Count > 0)
        {
            detail.Append("**CPIC pre-test alert**: ").Append(Markdown(language[0])).Append("\n\n");
            foreach (var more in language.Skip(1)) detail.Append("- ").Append(Markdown(more)).Append('\n');
            if (language.Count > 1) detail.Append('\n');
        }
        else
        {
            detail.Append("CPIC has a guideline for ").Append(Drug).Append(" and ").Append(string.Join(", ", genes))
                .Append(": consider pharmacogenomic testing before prescribing.\n\n");
        }

        WriteSource(detail, guideline);
        return new CdsCard(
            CdsCardIds.For(CdsCardKind.PgxPreTest, request.HookInstance, ordered.OrderReference, ordered.Drug.DrugId),
            Shorten($"{Drug}: no {string.Join("/", genes)} result on file; CPIC suggests testing"),
            CdsCard.Info,
            Source(guideline, CdsCardKind.PgxPreTest),
            detail.ToString().TrimEnd(),
            OverrideReasons: null,
            Links: Links(guideline, []));
    }

    /// <summary>Some of the guideline's genes have results, but no CPIC recommendation is keyed to them: said, not guessed.</summary>
    public CdsCard Incomplete(GuidelineEntry guideline, IReadOnlyList<string> genes)
    {
        var detail = new StringBuilder();
        WriteResults(detail, genes, null);
        detail.Append("CPIC's ").Append(guideline.Name).Append(" keys no recommendation to these results together; ")
            .Append("the genes without a result would need testing before CPIC's recommendation can be applied.\n\n");
        WriteSource(detail, guideline);
        var missing = genes.Where(g => !patient.ContainsKey(g)).ToList();
        return new CdsCard(
            CdsCardIds.For(CdsCardKind.PgxIncomplete, request.HookInstance, ordered.OrderReference, ordered.Drug.DrugId),
            Shorten(missing.Count > 0
                ? $"{Drug}: no {string.Join("/", missing)} result; CPIC's recommendation needs it"
                : $"{Drug}: CPIC keys no recommendation to this patient's {string.Join("/", genes)} results"),
            CdsCard.Info,
            Source(guideline, CdsCardKind.PgxIncomplete),
            detail.ToString().TrimEnd(),
            Links: Links(guideline, genes));
    }

    /// <summary>critical for "avoid", warning for any other change of prescribing, info for none.</summary>
    internal static CdsCardKind KindOf(GuidelineMatch match)
    {
        if (match.Recommendation is not { } recommendation) return CdsCardKind.PgxInfo;
        if (recommendation.ChangesPrescribing == PrescribingChange.None) return CdsCardKind.PgxInfo;
        return Avoid().IsMatch(match.Text(recommendation.Text) ?? string.Empty) ? CdsCardKind.PgxAvoid : CdsCardKind.PgxChange;
    }

    private void WriteResults(StringBuilder detail, IEnumerable<string> genes, GuidelineRecommendation? recommendation)
    {
        detail.Append("**Pharmacogenomic results** (").Append(resultsFrom).Append(")\n\n");
        foreach (var gene in genes)
        {
            if (!patient.TryGetValue(gene, out var found))
            {
                detail.Append("- **").Append(gene).Append("**: no result for ").Append(gene).Append(" on file\n");
                continue;
            }

            detail.Append("- **").Append(gene).Append("** `").Append(found.Result.Shown.Replace('`', '\'')).Append("`: ").Append(Markdown(PhenotypeOf(found.Result, recommendation)));
            if (KnowledgeIds.NormaliseActivityScore(found.Result.Phenotype?.ActivityScore) is { } score) detail.Append(", activity score ").Append(score);
            detail.Append(" — ").Append(found.Report.Lab is { } lab ? $"lab {Markdown(lab)}" : "lab not stated");
            detail.Append(", ").Append(found.Report.TestDate is { Length: >= 10 } date ? date[..10] : "date not stated");
            detail.Append(", ").Append(found.Report.Report).Append('\n');
        }

        detail.Append('\n');
    }

    private void WriteSource(StringBuilder detail, GuidelineEntry guideline)
    {
        detail.Append("Source: ").Append(guideline.Source).Append(' ').Append(Markdown(guideline.Name));
        if (guideline.Url is { } url) detail.Append(" (").Append(url).Append(')');
        detail.Append("; PrecisionMed knowledge store version ").Append(version).Append('.');
    }

    private static string PhenotypeOf(PgxResult result, GuidelineRecommendation? recommendation) =>
        result.Phenotype?.Phenotype
        ?? recommendation?.LookupKey.FirstOrDefault(k => k.Gene == result.Gene)?.Value
        ?? result.Shown;

    private static List<string> GenesOf(GuidelineMatch match) => [.. match.Set.Genes];

    private static CdsSource Source(GuidelineEntry guideline, CdsCardKind kind) =>
        new("CPIC", guideline.Url, new CdsCoding(KindCode(kind), KindSystem, guideline.Name));

    public static string KindCode(CdsCardKind kind) => kind switch
    {
        CdsCardKind.PgxAvoid => "pgx-avoid",
        CdsCardKind.PgxChange => "pgx-change",
        CdsCardKind.PgxPreTest => "pgx-pre-test",
        CdsCardKind.PgxIncomplete => "pgx-incomplete",
        CdsCardKind.DuplicateGeneticTest => "duplicate-genetic-test",
        CdsCardKind.DuplicateDraftOrder => "duplicate-draft-order",
        CdsCardKind.PgxInfo => "pgx-info",
        // Feedback naming a UUID this service never put on a card (another service's, a made-up one): counted apart.
        _ => "unknown",
    };

    private CdsSuggestion RemoveDraft(string cardUuid) => new(
        $"Remove the draft {Drug} order",
        CdsCardIds.For(CdsCardKind.PgxAvoid, cardUuid, "remove"),
        [new CdsAction("delete", $"Remove the draft order for {Drug} ({ordered.OrderReference})", ordered.OrderReference)],
        IsRecommended: true);

    private List<CdsLink>? Links(GuidelineEntry guideline, IEnumerable<string> genes)
    {
        var links = new List<CdsLink>();
        if (Uri.TryCreate(guideline.Url, UriKind.Absolute, out var url)) links.Add(new CdsLink($"CPIC guideline: {Shorten(guideline.Name)}", url.ToString()));
        if (options.ReportLinkBase is { } reports)
        {
            foreach (var report in genes.Where(patient.ContainsKey).Select(g => patient[g].Report.Report).Distinct(StringComparer.Ordinal))
                links.Add(new CdsLink($"Genetic report {report}", new Uri(reports, report).ToString()));
        }

        return links.Count > 0 ? links : null;
    }

    private static string? Classified(string? classification) =>
        classification is { Length: > 0 } c && !c.Equals("N/A", StringComparison.OrdinalIgnoreCase) ? c : null;

    /// <summary>Under 140 characters, as the spec requires, cut at a word with an ellipsis.</summary>
    internal static string Shorten(string text)
    {
        if (text.Length < CdsCard.MaxSummaryLength) return text;
        var cut = text[..(CdsCard.MaxSummaryLength - 2)];
        var space = cut.LastIndexOf(' ');
        return (space > 80 ? cut[..space] : cut).TrimEnd(',', ' ', ':') + "…";
    }

    /// <summary>Text from the knowledge store as Markdown text: characters Markdown would read as markup escaped.</summary>
    private static string Markdown(string? text) => MarkdownSpecial().Replace((text ?? string.Empty).Replace('\n', ' ').Trim(), @"\$0");

    [GeneratedRegex(@"\b(avoid|not recommended|contraindicated|do not (use|prescribe|initiate))\b", RegexOptions.IgnoreCase)]
    private static partial Regex Avoid();

    [GeneratedRegex(@"[\\`*_\[\]<>#|]")]
    private static partial Regex MarkdownSpecial();
}
