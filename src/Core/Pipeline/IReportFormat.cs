using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Formats;

namespace PrecisionMed.Core.Pipeline;

/// <summary>
/// One lab file format: how a file splits into report units and how a unit becomes FHIR.
/// Implementations throw <see cref="LabFileRejectedException"/> for input they cannot use.
/// </summary>
public interface IReportFormat
{
    LabFileFormat Format { get; }

    /// <summary>Reads the (decompressed) file far enough to count its report units.</summary>
    Task<int> CountUnitsAsync(Stream content, CancellationToken cancellationToken);

    /// <summary>Builds the transaction bundle(s) for unit <see cref="ReportProvenance.UnitIndex"/>.</summary>
    Task<ReportTransaction> BuildUnitAsync(Stream content, ReportProvenance provenance, CancellationToken cancellationToken);
}
