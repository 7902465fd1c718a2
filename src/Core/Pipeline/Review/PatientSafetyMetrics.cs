using System.Diagnostics.Metrics;

namespace PrecisionMed.Core.Pipeline.Review;

/// <summary>
/// The alert metric for held reports. The meter's and instrument's names are a contract (dashboards and alert rules
/// use them; the telemetry exporter subscribes to <see cref="MeterName"/>). Tags: the lab id only, never PHI.
/// </summary>
public static class PatientSafetyMetrics
{
    public const string MeterName = "PrecisionMed.Pipeline";
    public const string HeldReports = "precisionmed.reports.held";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Held = Meter.CreateCounter<long>(
        HeldReports, "{report}", "Reports held for review because their patient details disagree with the EMR's Patient or their identifier matches several.");

    internal static void ReportHeld(string labId) => Held.Add(1, new KeyValuePair<string, object?>("lab.id", labId));
}
