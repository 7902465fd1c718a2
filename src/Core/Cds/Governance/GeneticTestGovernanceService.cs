using Microsoft.Extensions.Options;
using PrecisionMed.Core.Cds.Pgx;
using PrecisionMed.Core.Genomics.Index;
using PrecisionMed.Core.Knowledge;

namespace PrecisionMed.Core.Cds.Governance;

/// <summary>
/// <c>genetic-test-governance</c>: a draft germline genetic test the patient already has a final germline result for
/// (the same test by its code, or an earlier report covering every gene the order names) gets a warning card naming the
/// earlier test, its date and lab, with a suggestion to cancel the draft; a second identical draft among the draft
/// orders is flagged too. Orders that add genes, somatic tests and reanalysis orders are not flagged. One read of the
/// patient's genomic index entry, only when a draft is a genetic test.
/// </summary>
public sealed class GeneticTestGovernanceService(KnowledgeLookup knowledge, IGenomicIndex index, IOptions<CdsOptions> options, TimeProvider clock)
{
    private const string Germline = "LA6683-2";
    private const string Somatic = "LA6684-0";
    private static readonly HashSet<string> Final = new(["final", "amended", "corrected", "appended"], StringComparer.Ordinal);

    public async Task<CdsResponse> AnswerAsync(CdsHookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var answered = new List<GeneticTestOrder>();
        foreach (var draft in request.Orders.ToAnswer("ServiceRequest"))
        {
            if (await GeneticTestOrder.ReadAsync(draft, knowledge, cancellationToken) is { Somatic: false, Reanalysis: false } order) answered.Add(order);
        }

        if (answered.Count == 0) return new CdsResponse([]);
        var others = new List<GeneticTestOrder>();
        foreach (var draft in request.Orders.All("ServiceRequest"))
        {
            if (await GeneticTestOrder.ReadAsync(draft, knowledge, cancellationToken) is { } order) others.Add(order);
        }

        var reports = (await index.ReadSubjectAsync($"Patient/{request.PatientId}", cancellationToken))
            .Where(r => (r.Status is null || Final.Contains(r.Status)) && IsGermline(r) && Recent(r))
            .OrderByDescending(r => r.TestDate, StringComparer.Ordinal)
            .ToList();
        var cards = new List<CdsCard>();
        foreach (var order in answered)
        {
            if (reports.FirstOrDefault(r => Covers(r, order)) is { } earlier)
            {
                cards.Add(Earlier(request, order, earlier));
                continue;
            }

            // A repeat of another draft of this encounter: the later of two identical drafts (by their order in the bundle).
            var first = others.FirstOrDefault(o => o.SameTestAs(order) && (o.Encounter is null || order.Encounter is null || o.Encounter == order.Encounter));
            if (first is not null && first.Reference != order.Reference) cards.Add(Duplicate(request, order, first));
        }

        return new CdsResponse(cards);
    }

    /// <summary>Germline when any variant says so, or none says somatic (genotypes and PGx panels carry no source class).</summary>
    private static bool IsGermline(IndexedReport report) =>
        report.Variants.Any(v => v.SourceClass == Germline) || report.Variants.All(v => v.SourceClass != Somatic);

    private bool Recent(IndexedReport report)
    {
        var years = options.Value.GovernanceLookbackYears;
        if (years <= 0 || report.TestDate is not { Length: >= 10 } date) return true;
        return DateOnly.TryParse(date[..10], System.Globalization.CultureInfo.InvariantCulture, out var day)
            && day.AddYears(years) >= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>The report covers every gene the order names; an order naming none, when it is the same test (a specific code in common).</summary>
    private static bool Covers(IndexedReport report, GeneticTestOrder order)
    {
        if (order.Genes.Count > 0)
        {
            var reported = GenesOf(report);
            return order.Genes.All(reported.Contains);
        }

        return order.SpecificCodes.Any(report.Codes.Contains);
    }

    private static HashSet<string> GenesOf(IndexedReport report) =>
    [
        .. report.Haplotypes.SelectMany(h => h.Genes).Concat(report.Variants.SelectMany(v => v.Genes))
            .Select(g => g.Symbol?.ToUpperInvariant()).OfType<string>(),
        .. report.Haplotypes.Select(h => h.Name.Split(' ', 2)[0].ToUpperInvariant()).Where(s => s.Length is > 1 and < 12 && !s.StartsWith('*')),
    ];

    private CdsCard Earlier(CdsHookRequest request, GeneticTestOrder order, IndexedReport earlier)
    {
        var date = earlier.TestDate is { Length: >= 10 } d ? d[..10] : "an earlier date";
        // A lab the report does not name is said so, never as "(the lab)", which reads as if one were named.
        var lab = earlier.Lab;
        var uuid = CdsCardIds.For(CdsCardKind.DuplicateGeneticTest, request.HookInstance, order.Reference, earlier.Report);
        var genes = order.Genes.Count > 0 ? string.Join(", ", order.Genes.Order(StringComparer.Ordinal)) : "the genes of this test";
        var detail = $"This patient already has a final germline result covering {genes}: **{earlier.Report}**, {date}, from {lab ?? "a lab not stated"}"
            + (earlier.TestIds.Count > 0 ? $" (test {string.Join(", ", earlier.TestIds)})" : string.Empty)
            + ".\n\nGermline results do not change over a lifetime; repeating the test rarely adds information. Consider cancelling this order, "
            + "or order a reanalysis of the earlier data if a new question is being asked.";
        var links = options.Value.ReportLinkBase is { } reports ? new[] { new CdsLink($"Earlier report ({date})", new Uri(reports, earlier.Report).ToString()) } : null;
        return new CdsCard(
            uuid,
            PgxCardWriter.Shorten($"Already tested: {order.Title} resulted {date}{(lab is null ? string.Empty : $" ({lab})")}; consider cancelling"),
            CdsCard.Warning,
            new CdsSource("PrecisionMed genetic test governance", null, new CdsCoding(PgxCardWriter.KindCode(CdsCardKind.DuplicateGeneticTest), PgxCardWriter.KindSystem, "Earlier germline result")),
            detail,
            [Cancel(uuid, order)],
            CdsCard.AtMostOne,
            OverrideReasons,
            links);
    }

    private static CdsCard Duplicate(CdsHookRequest request, GeneticTestOrder order, GeneticTestOrder first)
    {
        var uuid = CdsCardIds.For(CdsCardKind.DuplicateDraftOrder, request.HookInstance, order.Reference, first.Reference);
        return new CdsCard(
            uuid,
            PgxCardWriter.Shorten($"Duplicate order: {order.Title} is already drafted in this encounter"),
            CdsCard.Warning,
            new CdsSource("PrecisionMed genetic test governance", null, new CdsCoding(PgxCardWriter.KindCode(CdsCardKind.DuplicateDraftOrder), PgxCardWriter.KindSystem, "Duplicate draft order")),
            $"{order.Reference} orders the same test as {first.Reference} in this encounter. Remove one of them.",
            [Cancel(uuid, order)],
            CdsCard.AtMostOne,
            OverrideReasons);
    }

    private static CdsSuggestion Cancel(string cardUuid, GeneticTestOrder order) => new(
        $"Cancel the draft order for {PgxCardWriter.Shorten(order.Title)}",
        CdsCardIds.For(CdsCardKind.DuplicateGeneticTest, cardUuid, "cancel"),
        [new CdsAction("delete", $"Remove the draft order {order.Reference}", order.Reference)],
        IsRecommended: true);

    private static readonly IReadOnlyList<CdsCoding> OverrideReasons =
    [
        new("new-clinical-question", PgxCardWriter.OverrideSystem, "A new clinical question the earlier test does not answer"),
        new("earlier-result-unavailable", PgxCardWriter.OverrideSystem, "Earlier result not available or not trusted"),
        new("different-genes-or-method", PgxCardWriter.OverrideSystem, "Different genes or method needed"),
    ];
}
