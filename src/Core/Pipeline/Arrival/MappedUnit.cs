using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Formats;

namespace PrecisionMed.Core.Pipeline.Arrival;

/// <summary>A report unit as its format mapped it, with its provenance as intake completed it (the original's format and compression).</summary>
public sealed record MappedUnit(MappedReportUnit Mapped, ReportProvenance Provenance);
