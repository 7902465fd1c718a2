using System.Globalization;
using Microsoft.Extensions.Options;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Pipeline;

namespace PrecisionMed.Core.Formats.Fhir;

/// <summary>FHIR R4 bundles sent by a lab: one unit per DiagnosticReport, re-identified on the way in.</summary>
public sealed class FhirBundleFormat(IOptions<LimitsOptions> limits) : IReportFormat
{
    /// <summary>Reads bundles under the default limits.</summary>
    public FhirBundleFormat()
        : this(Options.Create(new LimitsOptions()))
    {
    }

    public LabFileFormat Format => LabFileFormat.FhirJson;

    public async Task<int> CountUnitsAsync(Stream content, CancellationToken cancellationToken)
    {
        var bundle = await FhirBundleReader.ReadAsync(content, limits.Value, cancellationToken);
        return FhirReportSplitter.Split(bundle).Count;
    }

    public async Task<ReportTransaction> BuildUnitAsync(Stream content, ReportProvenance provenance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provenance);
        provenance = provenance.OfFormat(Format);
        var bundle = await FhirBundleReader.ReadAsync(content, limits.Value, cancellationToken);
        var units = FhirReportSplitter.Split(bundle);
        if (provenance.UnitIndex >= units.Count)
        {
            // The file under this name no longer splits as it did at intake: its content changed.
            throw new LabFileRejectedException(SourcePosition.None, string.Create(CultureInfo.InvariantCulture,
                $"the file now has {units.Count} report unit(s) but unit {provenance.UnitIndex + 1} was planned"));
        }

        return ReportTransactionBuilder.Build(bundle, units[provenance.UnitIndex], provenance, allUnits: units);
    }
}
