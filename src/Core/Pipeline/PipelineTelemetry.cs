using System.Diagnostics;
using System.Diagnostics.Metrics;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Core.Pipeline;

/// <summary>
/// The pipeline's traces and metrics (OpenTelemetry-compatible System.Diagnostics APIs; the function app exports
/// them). One trace spans a file: the arrival's activity, then each report unit's activity as its child (the
/// parent travels in the work item as a W3C traceparent), then the FHIR HTTP calls under that. Tags hold ids,
/// lab, format, counts and outcome categories only: never content, never free-text reasons (no PHI, bounded
/// cardinality).
/// </summary>
public static class PipelineTelemetry
{
    /// <summary>The ActivitySource and Meter name; exporters subscribe to <c>PrecisionMed.*</c>.</summary>
    public const string Name = "PrecisionMed.Pipeline";

    public static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Files = Meter.CreateCounter<long>("precisionmed.files", "{file}", "Lab files handled, by outcome");
    /// <summary>Report unit deliveries by outcome (tag <c>precisionmed.outcome</c>: completed, waiting, failed, overwritten, ...); the alerts query it.</summary>
    public const string UnitsMetric = "precisionmed.units";

    private static readonly Counter<long> Units = Meter.CreateCounter<long>(UnitsMetric, "{unit}", "Report unit deliveries handled, by outcome");
    private static readonly Counter<long> Rejects = Meter.CreateCounter<long>("precisionmed.rejects", "{reject}", "Files and units rejected, by reason category");
    private static readonly Counter<long> ResourcesWritten =
        Meter.CreateCounter<long>("precisionmed.fhir.resources_written", "{resource}", "FHIR resources written in report transactions");
    private static readonly Histogram<double> Latency =
        Meter.CreateHistogram<double>("precisionmed.unit.latency", "s", "From the file's arrival to its report unit written and recorded");

    /// <summary>Reason categories for <c>precisionmed.rejects</c>.</summary>
    public static class RejectReasons
    {
        public const string UnsafePath = "unsafe-path";
        public const string UnreadableFile = "unreadable-file";
        public const string UnitContent = "unit-content";
        public const string FhirRejected = "fhir-rejected";
    }

    public static Activity? StartArrival(string labId, string correlationId)
    {
        var activity = Source.StartActivity("LabFileArrived", ActivityKind.Consumer);
        activity?.SetTag("precisionmed.lab", labId);
        activity?.SetTag("precisionmed.correlation_id", correlationId);
        return activity;
    }

    public static void FileHandled(Activity? activity, string labId, ArrivalOutcome outcome)
    {
        var name = Outcome(outcome.ToString());
        activity?.SetTag("precisionmed.outcome", name);
        Files.Add(1, new("precisionmed.lab", labId), new("precisionmed.outcome", name));
    }

    /// <summary>A file the host gave up arriving (the blob trigger's poison queue).</summary>
    public static void FileFailedAtArrival(string labId) =>
        Files.Add(1, new("precisionmed.lab", labId), new("precisionmed.outcome", "failed"));

    /// <summary>The W3C traceparent to carry in a work item: the current activity's, when one is recorded.</summary>
    public static string? CurrentTraceParent() => Activity.Current?.Id is { } id && Activity.Current.IdFormat == ActivityIdFormat.W3C ? id : null;

    /// <summary>A unit's activity: a child of its file's arrival, linked to the delivery that runs it (a queue trigger's own trace).</summary>
    public static Activity? StartUnit(WorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        ActivityContext.TryParse(item.TraceParent, null, out var parent);
        var links = Activity.Current is { } delivery ? new[] { new ActivityLink(delivery.Context) } : null;
        var activity = Source.StartActivity("ReportUnit", ActivityKind.Consumer, parent, tags: null, links);
        if (activity is null) return null;
        activity.SetTag("precisionmed.file_id", item.FileId);
        activity.SetTag("precisionmed.unit_index", item.UnitIndex);
        activity.SetTag("precisionmed.lab", item.LabId);
        activity.SetTag("precisionmed.format", item.Format.ToString());
        activity.SetTag("precisionmed.correlation_id", item.CorrelationId);
        return activity;
    }

    public static void UnitHandled(Activity? activity, WorkItem item, WorkOutcome outcome, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(item);
        var name = Outcome(outcome.ToString());
        activity?.SetTag("precisionmed.outcome", name);
        var format = item.Format.ToString();
        Units.Add(1, new("precisionmed.lab", item.LabId), new("precisionmed.format", format), new("precisionmed.outcome", name));
        if (outcome == WorkOutcome.Completed) Latency.Record(Math.Max(0, (now - item.ReceivedAt).TotalSeconds), new KeyValuePair<string, object?>("precisionmed.format", format));
    }

    public static void UnitFailed(Activity? activity, WorkItem item, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(exception);
        // The type only: an exception's message may quote content.
        activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
        Units.Add(1, new("precisionmed.lab", item.LabId), new("precisionmed.format", item.Format.ToString()), new("precisionmed.outcome", "error"));
    }

    public static void Rejected(string labId, string reason) =>
        Rejects.Add(1, new("precisionmed.lab", labId), new("precisionmed.reason", reason));

    public static void Written(WorkItem item, int resources)
    {
        ArgumentNullException.ThrowIfNull(item);
        ResourcesWritten.Add(resources, new("precisionmed.lab", item.LabId), new("precisionmed.format", item.Format.ToString()));
    }

    private static string Outcome(string name) => string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
