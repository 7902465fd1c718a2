using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Work;

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

/// <summary>
/// A format whose report units are contiguous byte ranges of the file (HL7 v2: one message each). Intake records every
/// unit's range, so that a worker reads only its own unit's bytes instead of the whole file once per unit.
/// </summary>
public interface IRangedReportFormat : IReportFormat
{
    /// <summary>Reads the (uncompressed) file once and returns where each report unit lies, in unit order.</summary>
    Task<IReadOnlyList<ReportUnitRange>> LocateUnitsAsync(Stream content, CancellationToken cancellationToken);

    /// <summary>Builds the transaction bundle(s) of one unit from its own bytes, as <see cref="LocateUnitsAsync"/> found them.</summary>
    Task<ReportTransaction> BuildUnitAsync(ReadOnlyMemory<byte> unit, ReportUnitRange range, ReportProvenance provenance, CancellationToken cancellationToken);
}
