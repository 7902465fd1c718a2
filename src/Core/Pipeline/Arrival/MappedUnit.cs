using PrecisionMed.Core.Formats;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Pipeline.Arrival;

/// <summary>A report unit as its format mapped it, with its provenance as intake completed it (the original's format and compression).</summary>
public sealed record MappedUnit(MappedReportUnit Mapped, ReportProvenance Provenance);
