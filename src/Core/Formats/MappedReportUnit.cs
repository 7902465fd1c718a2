using PrecisionMed.Core.Formats.Fhir;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats;

/// <summary>
/// One report unit as its format mapped it: the canonical <see cref="LabReport"/> (HL7 v2, VCF), or a lab's own FHIR
/// report (<see cref="LabBundleUnit"/>), which keeps the lab's resources as sent rather than becoming a canonical report.
/// Exactly one of the two is set.
/// </summary>
public sealed record MappedReportUnit
{
    private MappedReportUnit(LabReport? report, LabBundleUnit? labBundle)
    {
        Report = report;
        LabBundle = labBundle;
    }

    public LabReport? Report { get; }

    public LabBundleUnit? LabBundle { get; }

    public static MappedReportUnit Of(LabReport report) => new(report ?? throw new ArgumentNullException(nameof(report)), null);

    public static MappedReportUnit Of(LabBundleUnit labBundle) => new(null, labBundle ?? throw new ArgumentNullException(nameof(labBundle)));
}
