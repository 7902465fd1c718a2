using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using PrecisionMed.Adapters.Telemetry;
using PrecisionMed.Functions.Tests.Hosting;
using PrecisionMed.Testing.Stack;

namespace PrecisionMed.Functions.Tests.EndToEnd;

/// <summary>
/// OpenTelemetry as the function app registers it (Program.cs: <c>AddPrecisionMedTelemetry</c>), exported in memory:
/// one trace from the blob's arrival through each queued unit to the FHIR service's HTTP calls, against the real stack.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class TelemetryEndToEndTests(LocalStackFixture stack)
{
    private const string LabId = "lab-otel";

    [Fact]
    public async Task BatchFile_OneTraceFromBlobThroughQueueToFhir_WithoutQueriesInUrls()
    {
        var ct = TestContext.Current.CancellationToken;
        var exported = new List<Activity>();
        var overrides = new Dictionary<string, string?> { [TelemetryBuilderExtensions.ConsoleSetting] = "false" };
        await using (var host = new PipelineHost(stack.Stack, overrides, (services, configuration) =>
            services.AddOpenTelemetry().AddPrecisionMedTelemetry(configuration).WithTracing(t => t.AddInMemoryExporter(exported))))
        {
            // The tracer provider starts listening when it is built: the hosted service does that in the app.
            _ = host.Services.GetRequiredService<TracerProvider>();
            var content = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "hl7v2/authored/batch_three_messages.hl7"), ct);
            await host.UploadAsync(LabId, "2026/batch.hl7", content, ct);
            await host.ArriveAsync(LabId, "2026/batch.hl7", ct);
            Assert.Equal(3, (await host.DrainWorkQueueAsync(ct)).Count);
            host.Services.GetRequiredService<TracerProvider>().ForceFlush();
        }

        List<Activity> spans;
        lock (exported) spans = [.. exported];
        var arrival = Assert.Single(spans, s => s.OperationName == "LabFileArrived" && (string?)s.GetTagItem("precisionmed.lab") == LabId);
        var trace = spans.Where(s => s.TraceId == arrival.TraceId).ToList();
        var units = trace.Where(s => s.OperationName == "ReportUnit").ToList();
        Assert.Equal(3, units.Count);
        Assert.All(units, u => Assert.Equal(arrival.SpanId, u.ParentSpanId));

        // The FHIR writes are HTTP client spans under the units; no URL carries a query (a search could name a patient).
        var unitSpans = units.Select(u => u.SpanId).ToHashSet();
        var fhirCalls = trace.Where(s => s.Kind == ActivityKind.Client && unitSpans.Contains(s.ParentSpanId)).ToList();
        Assert.True(fhirCalls.Count >= 3, $"{fhirCalls.Count} HTTP spans under the units");
        Assert.All(trace.Select(s => s.GetTagItem("url.full") as string).OfType<string>(), url => Assert.DoesNotContain("?", url, StringComparison.Ordinal));
    }
}
