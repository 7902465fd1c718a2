using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Fhir.Genomics;
using PrecisionMed.Core.Fhir.LabBundles;
using PrecisionMed.Core.Knowledge.Enrichment;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Documents;

namespace PrecisionMed.Core.Pipeline.Work;

/// <summary>
/// A mapped report unit to its FHIR transaction, the same for every format: enrich from the knowledge store, store large
/// documents aside, build. A canonical report is built by <see cref="GenomicReportBuilder"/>; a lab's own FHIR report by
/// <see cref="ReportTransactionBuilder"/>, with the store's implications added beside the lab's resources.
/// </summary>
public sealed class ReportUnitBuilder
{
    private readonly ReportEnricher? _enricher;
    private readonly LabBundleEnricher? _labBundles;
    private readonly ReportDocumentOffloader? _documents;

    /// <summary>Builds the lab's content only: no enrichment, documents inline.</summary>
    public ReportUnitBuilder()
    {
    }

    /// <summary>Enriched from <paramref name="enricher"/>'s store; large documents to <paramref name="documents"/> when given.</summary>
    public ReportUnitBuilder(ReportEnricher enricher, ReportDocumentOffloader? documents = null)
    {
        ArgumentNullException.ThrowIfNull(enricher);
        _enricher = enricher;
        _labBundles = new LabBundleEnricher(enricher);
        _documents = documents;
        Conventions = new KnowledgeLabConventions(enricher);
    }

    /// <summary>The lab conventions the formats map with (from the same store); null when building the lab's content only.</summary>
    public ILabConventions? Conventions { get; }

    public async Task<ReportTransaction> BuildAsync(MappedUnit unit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        var provenance = unit.Provenance;
        if (unit.Mapped.LabBundle is { } lab)
        {
            var draft = ReportTransactionBuilder.BuildDraft(lab.Bundle, lab.Unit, provenance, allUnits: lab.AllUnits);
            return (_labBundles is null ? draft : await _labBundles.EnrichAsync(draft, provenance.LabId, cancellationToken)).ToTransaction();
        }

        var report = unit.Mapped.Report ?? throw new InvalidOperationException("A mapped unit holds a report or a lab bundle.");
        if (_enricher is not null) report = await _enricher.EnrichAsync(report, provenance.LabId, cancellationToken);
        if (_documents is not null) report = await _documents.OffloadAsync(report, provenance, cancellationToken);
        return GenomicReportBuilder.Build(report, provenance);
    }
}
