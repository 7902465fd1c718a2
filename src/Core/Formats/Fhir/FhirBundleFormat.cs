using System.Globalization;
using Microsoft.Extensions.Options;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Knowledge.Enrichment;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline;

namespace PrecisionMed.Core.Formats.Fhir;

/// <summary>
/// FHIR R4 bundles sent by a lab: one unit per DiagnosticReport, re-identified on the way in, and (when given an
/// enricher, as the pipeline's DI does) with the knowledge store's implications added beside the lab's resources.
/// </summary>
public sealed class FhirBundleFormat : IReportFormat
{
    private readonly IOptions<LimitsOptions> _limits;
    private readonly LabBundleEnricher? _enricher;

    /// <summary>Reads bundles under the default limits, without enrichment.</summary>
    public FhirBundleFormat()
        : this(Options.Create(new LimitsOptions()))
    {
    }

    /// <summary>Reads bundles under the given limits, without enrichment.</summary>
    public FhirBundleFormat(IOptions<LimitsOptions> limits) => _limits = limits;

    /// <summary>The pipeline's: enriched from the knowledge store, under its limits.</summary>
    public FhirBundleFormat(ReportEnricher enricher, IOptions<LimitsOptions> limits)
        : this(limits) => _enricher = new LabBundleEnricher(enricher);

    public LabFileFormat Format => LabFileFormat.FhirJson;

    public async Task<int> CountUnitsAsync(Stream content, CancellationToken cancellationToken)
    {
        var bundle = await FhirBundleReader.ReadAsync(content, _limits.Value, cancellationToken);
        return FhirReportSplitter.Split(bundle).Count;
    }

    public async Task<ReportTransaction> BuildUnitAsync(Stream content, ReportProvenance provenance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provenance);
        provenance = provenance.OfFormat(Format);
        var bundle = await FhirBundleReader.ReadAsync(content, _limits.Value, cancellationToken);
        var units = FhirReportSplitter.Split(bundle);
        if (provenance.UnitIndex >= units.Count)
        {
            // The file under this name no longer splits as it did at intake: its content changed.
            throw new LabFileRejectedException(SourcePosition.None, string.Create(CultureInfo.InvariantCulture,
                $"the file now has {units.Count} report unit(s) but unit {provenance.UnitIndex + 1} was planned"));
        }

        var transaction = ReportTransactionBuilder.BuildDraft(bundle, units[provenance.UnitIndex], provenance, allUnits: units);
        return (_enricher is null ? transaction : await _enricher.EnrichAsync(transaction, provenance.LabId, cancellationToken)).ToTransaction();
    }
}
