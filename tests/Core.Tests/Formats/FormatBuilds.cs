using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Formats;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Core.Tests.Formats;

/// <summary>One unit of a format's file as the pipeline builds it: mapped with the builder's lab conventions, then built.</summary>
internal static class FormatBuilds
{
    public static async Task<ReportTransaction> BuildUnitAsync(
        this IReportFormat format, Stream content, ReportProvenance provenance, ReportUnitBuilder builder, CancellationToken cancellationToken)
    {
        provenance = provenance.OfFormat(format.Format);
        var mapped = await format.MapUnitAsync(content, provenance, builder.Conventions, cancellationToken);
        return await builder.BuildAsync(new MappedUnit(mapped, provenance), cancellationToken);
    }
}
