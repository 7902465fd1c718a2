using Microsoft.Extensions.Options;
using PrecisionMed.Core.Genomics.Index;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Enrichment;

namespace PrecisionMed.Core.Cds.Pgx;

/// <summary>
/// <c>pgx-prescribing</c>: for each draft MedicationRequest whose drug has a CPIC guideline, CPIC's recommendation for
/// the patient's results, matched as enrichment matches a report (<see cref="GuidelineMatches"/>: every gene of a
/// multi-gene guideline at once, a gene without a result as CPIC's <c>No Result</c>). One card per ordered drug with an
/// actionable recommendation; a pre-test card when the patient has no result for the guideline's genes; nothing else.
/// Reads: the drug table, guideline index and sets and phenotypes from the knowledge cache, and the patient's entry in
/// the genomic index once, only when a draft orders a CPIC drug; when the index has nothing for the patient, their
/// genotype Observations from FHIR.
/// </summary>
public sealed class PgxPrescribingService(KnowledgeLookup knowledge, IGenomicIndex index, ICdsFhirReader fhir, IOptions<CdsOptions> options)
{
    private const string Cpic = "CPIC";

    public async Task<CdsResponse> AnswerAsync(CdsHookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // First: a new store version empties the cache, so the documents read below are all of the version the cards cite.
        var version = await knowledge.VersionAsync(cancellationToken);
        if (await knowledge.FindDrugTableAsync(cancellationToken) is not { } table
            || await knowledge.FindGuidelineIndexAsync(cancellationToken) is not { } guidelineIndex) return new CdsResponse([]);

        var ordered = new List<(OrderedDrug Ordered, List<(GuidelineSetDocument Set, GuidelineEntry Guideline)> Guidelines)>();
        var catalog = _catalog = DrugCatalog.For(_catalog, table, guidelineIndex);
        foreach (var order in request.Orders.ToAnswer("MedicationRequest"))
        {
            foreach (var drug in await OrderedDrugs.ReadAsync(request, order, catalog, knowledge, fhir, cancellationToken))
            {
                var guidelines = await CpicGuidelinesAsync(guidelineIndex, drug.Drug, cancellationToken);
                if (guidelines.Count > 0 && !ordered.Any(o => o.Ordered == drug)) ordered.Add((drug, guidelines));
            }
        }

        if (ordered.Count == 0) return new CdsResponse([]);
        var (reports, resultsFrom) = await ReportsAsync(request, cancellationToken);
        var patient = await PatientPharmacogenomics.ReadAsync(reports, knowledge, cancellationToken);
        var results = patient.ToDictionary(p => p.Key, p => p.Value.Result, StringComparer.Ordinal);
        // Only the gene sets naming an ordered drug, and in them CPIC's guidelines for it: the tricyclics' set alone keys
        // 1,075 recommendations, and CYP2C19's names a dozen drugs.
        var names = ordered.Select(o => o.Ordered.Drug.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var matches = results.Count > 0
            ? await GuidelineMatches.FindAsync(
                knowledge, results, cancellationToken, set => set.Drugs.Any(names.Contains), g => g.Source == Cpic && g.Drugs.Any(d => ordered.Any(o => SameDrug(d, o.Ordered.Drug))))
            : [];
        var cards = new List<CdsCard>();
        var settings = options.Value;
        foreach (var (drug, guidelines) in ordered)
        {
            var reached = matches.Where(m => m.Guideline.Source == Cpic && SameDrug(m.Drug, drug.Drug)).ToList();
            var writer = new PgxCardWriter(request, drug, patient, settings, version, resultsFrom);
            if (reached.Count > 0)
            {
                if (writer.Recommendation(reached) is { } card) cards.Add(card);
                continue;
            }

            var genes = guidelines.SelectMany(g => g.Set.Genes).Distinct(StringComparer.Ordinal).ToList();
            if (settings.PreTestOff(drug.Drug.Name)) continue;
            var alerts = await knowledge.FindCdsAlertsAsync(drug.Drug.Name, cancellationToken);
            cards.Add(genes.Any(patient.ContainsKey)
                ? writer.Incomplete(guidelines.Select(g => g.Guideline).First(), genes)
                : writer.PreTest(guidelines.Select(g => g.Guideline).First(), genes, alerts));
        }

        return new CdsResponse(cards);
    }

    /// <summary>
    /// The patient's reports: from the genomic index (one read), else, when it has none for them, from FHIR
    /// (<see cref="FhirPharmacogenomics"/>; a server that cannot be read is the 412 case). Also says where they came from.
    /// </summary>
    private async Task<(IReadOnlyList<IndexedReport> Reports, string From)> ReportsAsync(CdsHookRequest request, CancellationToken cancellationToken)
    {
        var indexed = await index.ReadSubjectAsync($"Patient/{request.PatientId}", cancellationToken);
        if (indexed.Count > 0) return (indexed, PgxCardWriter.FromIndex);
        return await FhirPharmacogenomics.ReadAsync(request, fhir, cancellationToken) is { Count: > 0 } fromFhir
            ? (fromFhir, request.FhirServer is not null && request.FhirAuthorization is not null ? PgxCardWriter.FromEhrFhir : PgxCardWriter.FromFhir)
            : (indexed, PgxCardWriter.FromIndex);
    }

    /// <summary>A guideline's drug is the table's by PharmGKB id, or by name (the 2019 table and the guideline packages differ on a few ids).</summary>
    private static bool SameDrug(GuidelineDrug guideline, DrugCodes drug) =>
        (drug.PharmGkbId is not null && guideline.PharmGkbId == drug.PharmGkbId) || guideline.Name.Equals(drug.Name, StringComparison.OrdinalIgnoreCase);

    /// <summary>The drug table and guideline index, indexed once per stored instance (a new knowledge version brings new ones).</summary>
    private DrugCatalog? _catalog;

    /// <summary>The CPIC guidelines naming the drug, with their gene set's document (cached reads).</summary>
    private async Task<List<(GuidelineSetDocument Set, GuidelineEntry Guideline)>> CpicGuidelinesAsync(
        GuidelineIndexDocument guidelineIndex, DrugCodes drug, CancellationToken cancellationToken)
    {
        var found = new List<(GuidelineSetDocument, GuidelineEntry)>();
        foreach (var geneSet in guidelineIndex.GeneSets.Where(s => s.Drugs.Contains(drug.Name, StringComparer.OrdinalIgnoreCase)))
        {
            if (await knowledge.FindGuidelinesAsync(geneSet.Genes, cancellationToken) is not { } set) continue;
            found.AddRange(set.Guidelines
                .Where(g => g.Source == Cpic && g.Drugs.Any(d => SameDrug(d, drug)))
                .Select(g => (set, g)));
        }

        return found;
    }
}
