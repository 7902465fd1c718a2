using System.Diagnostics;
using System.Diagnostics.Metrics;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Core.Tests.Pipeline;

/// <summary>The listeners are process-wide: this collection runs alone so that only its own pipeline is measured.</summary>
[CollectionDefinition(nameof(PipelineTelemetryTests), DisableParallelization = true)]
public sealed class TelemetryCollection;

/// <summary>
/// Observability: one trace per file (arrival, then each unit as its child through the work item's
/// traceparent), and the metrics ops alert on: files and units by outcome, rejects by reason category, resources
/// written, end-to-end latency. Tags carry ids and categories only.
/// </summary>
[Collection(nameof(PipelineTelemetryTests))]
[Trait("Tier", "Fast")]
public sealed class PipelineTelemetryTests : IDisposable
{
    private readonly List<Activity> _activities = [];
    private readonly List<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = [];
    private readonly ActivityListener _activityListener;
    private readonly MeterListener _meterListener = new();

    public PipelineTelemetryTests()
    {
        _activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == PipelineTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (_activities) _activities.Add(activity);
            },
        };
        ActivitySource.AddActivityListener(_activityListener);
        _meterListener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PipelineTelemetry.Name) listener.EnableMeasurementEvents(instrument);
        };
        _meterListener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meterListener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meterListener.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags) copy[tag.Key] = tag.Value;
        lock (_measurements) _measurements.Add((instrument.Name, value, copy));
    }

    [Fact]
    public async Task BatchFile_OneTraceFromArrivalToEveryUnit_AndItsMetrics()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        var content = TestFiles.Read("hl7v2/authored/batch_three_messages.hl7");
        var fileId = PipelineHarness.FileIdOf(content);

        Assert.Equal(ArrivalOutcome.Queued, await harness.DropAsync(content, "batch.hl7"));
        Assert.All(harness.Queue.Messages, m => Assert.Contains("\"traceParent\":\"00-", m, StringComparison.Ordinal));
        harness.Clock.Advance(TimeSpan.FromSeconds(42));
        foreach (var message in harness.Queue.Messages.ToList()) Assert.Equal(WorkOutcome.Completed, await harness.Work.HandleAsync(message, ct));

        var arrival = Assert.Single(_activities, a => a.OperationName == "LabFileArrived");
        var units = _activities.Where(a => a.OperationName == "ReportUnit" && (string?)a.GetTagItem("precisionmed.file_id") == fileId).ToList();
        Assert.Equal(3, units.Count);
        Assert.All(units, u =>
        {
            Assert.Equal(arrival.TraceId, u.TraceId);
            Assert.Equal(arrival.SpanId, u.ParentSpanId);
            Assert.Equal("completed", u.GetTagItem("precisionmed.outcome"));
        });
        Assert.Equal("queued", arrival.GetTagItem("precisionmed.outcome"));

        Assert.Equal(1, Sum("precisionmed.files", ("precisionmed.outcome", "queued")));
        Assert.Equal(3, Sum("precisionmed.units", ("precisionmed.outcome", "completed"), ("precisionmed.format", "Hl7v2")));
        Assert.True(Sum("precisionmed.fhir.resources_written") >= 3 * 2);
        var latencies = _measurements.Where(m => m.Instrument == "precisionmed.unit.latency").Select(m => m.Value).ToList();
        Assert.Equal(3, latencies.Count);
        Assert.All(latencies, l => Assert.True(l >= 42, $"latency {l}"));
    }

    [Fact]
    public async Task RejectedFile_CountedByReasonCategory()
    {
        using var harness = new PipelineHarness();

        Assert.Equal(ArrivalOutcome.Rejected, await harness.DropAsync("not a lab file at all"u8.ToArray(), "junk.txt"));

        Assert.Equal(1, Sum("precisionmed.rejects", ("precisionmed.reason", PipelineTelemetry.RejectReasons.UnreadableFile)));
        Assert.Equal(1, Sum("precisionmed.files", ("precisionmed.outcome", "rejected")));
        // Tags are ids and categories: nothing of the file's name or content.
        Assert.DoesNotContain(_measurements.SelectMany(m => m.Tags.Values), v => v is string s && s.Contains("junk", StringComparison.Ordinal));
    }

    private double Sum(string instrument, params (string Key, string Value)[] tags) =>
        _measurements.Where(m => m.Instrument == instrument && tags.All(t => Equals(m.Tags.GetValueOrDefault(t.Key), t.Value))).Sum(m => m.Value);

    public void Dispose()
    {
        _activityListener.Dispose();
        _meterListener.Dispose();
    }
}
