using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats;

/// <summary>
/// One lab file format: how a file splits into report units and how one unit maps to the canonical report. Building
/// FHIR, enriching and writing are the pipeline's (<c>PrecisionMed.Core.Pipeline.Work.ReportUnitPipeline</c>), the same
/// for every format. Implementations throw <see cref="LabFileRejectedException"/> for input they cannot use.
/// </summary>
public interface IReportFormat
{
    LabFileFormat Format { get; }

    /// <summary>Reads the (decompressed) file far enough to count its report units.</summary>
    Task<int> CountUnitsAsync(Stream content, CancellationToken cancellationToken);

    /// <summary>Maps unit <see cref="ReportProvenance.UnitIndex"/> of the (decompressed) file.</summary>
    /// <param name="content">The decompressed file.</param>
    /// <param name="provenance">Where the unit comes from.</param>
    /// <param name="conventions">How the lab writes its files, from the knowledge store; null maps the lab's content only.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    Task<MappedReportUnit> MapUnitAsync(Stream content, ReportProvenance provenance, ILabConventions? conventions, CancellationToken cancellationToken);
}

/// <summary>
/// A format whose report units are contiguous byte ranges of the file (HL7 v2: one message each). Intake records every
/// unit's range, so that a worker reads only its own unit's bytes instead of the whole file once per unit.
/// </summary>
public interface IRangedReportFormat : IReportFormat
{
    /// <summary>Reads the (uncompressed) file once and returns where each report unit lies, in unit order.</summary>
    Task<IReadOnlyList<ReportUnitRange>> LocateUnitsAsync(Stream content, CancellationToken cancellationToken);

    /// <summary>Maps one unit from its own bytes, as <see cref="LocateUnitsAsync"/> found them.</summary>
    Task<MappedReportUnit> MapUnitAsync(
        ReadOnlyMemory<byte> unit, ReportUnitRange range, ReportProvenance provenance, ILabConventions? conventions, CancellationToken cancellationToken);
}
