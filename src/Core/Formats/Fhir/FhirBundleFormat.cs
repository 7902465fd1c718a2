using System.Globalization;
using Microsoft.Extensions.Options;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Fhir;

/// <summary>FHIR R4 bundles sent by a lab: one unit per DiagnosticReport, kept as the lab's resources (<see cref="LabBundleUnit"/>).</summary>
public sealed class FhirBundleFormat : IReportFormat
{
    private readonly IOptions<LimitsOptions> _limits;

    /// <summary>Reads bundles under the default limits.</summary>
    public FhirBundleFormat()
        : this(Options.Create(new LimitsOptions()))
    {
    }

    public FhirBundleFormat(IOptions<LimitsOptions> limits) => _limits = limits;

    public LabFileFormat Format => LabFileFormat.FhirJson;

    public async Task<int> CountUnitsAsync(Stream content, CancellationToken cancellationToken)
    {
        var bundle = await FhirBundleReader.ReadAsync(content, _limits.Value, cancellationToken);
        return FhirReportSplitter.Split(bundle).Count;
    }

    public async Task<MappedReportUnit> MapUnitAsync(Stream content, ReportProvenance provenance, ILabConventions? conventions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provenance);
        var bundle = await FhirBundleReader.ReadAsync(content, _limits.Value, cancellationToken);
        var units = FhirReportSplitter.Split(bundle);
        if (provenance.UnitIndex >= units.Count)
        {
            // The file under this name no longer splits as it did at intake: its content changed.
            throw new LabFileRejectedException(SourcePosition.None, string.Create(CultureInfo.InvariantCulture,
                $"the file now has {units.Count} report unit(s) but unit {provenance.UnitIndex + 1} was planned"));
        }

        return MappedReportUnit.Of(new LabBundleUnit(bundle, units[provenance.UnitIndex], units));
    }
}
