using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Functions.Tests.Hosting;
using PrecisionMed.Testing.Faults;
using PrecisionMed.Testing.Stack;

namespace PrecisionMed.Functions.Tests.EndToEnd;

/// <summary>
/// The FHIR service misbehaving under a real load, through the functions and the real emulators: a proxy in
/// front of the FHIR dev server throttles, fails and drops connections, or goes away altogether; the queue
/// redelivers what failed. Every report must land exactly once, counted on the FHIR server itself.
/// </summary>
public sealed class FhirFaultsEndToEndTests(LocalStackFixture stack)
{
    private const int ReportsPerFile = 50;

    [Fact]
    public async Task TwoHundredReports_ThirtyPercentFaults_EachLandsExactlyOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        const string lab = "lab-faults";
        await using var proxy = await FaultInjectingProxy.StartAsync(stack.Stack.FhirBaseUrl, new FaultPlan(Share: 0.3, Seed: 20261128), ct);
        await using var host = new PipelineHost(stack.Stack, Settings(proxy));
        using var meter = new FhirMeterReading(host.Services);
        var (reports, files) = ReportBatches.Generate("FI", 200, ReportsPerFile);

        var fileIds = await ArriveAsync(host, lab, files, ct);
        var started = Stopwatch.StartNew();
        var drained = await host.DrainWithRedeliveryAsync(batchSize: 16, TimeSpan.FromMilliseconds(200), maxDequeueCount: 5, ct);

        Report("fault injection", started.Elapsed, proxy, meter, drained);
        Assert.Equal(0, drained.Poisoned);
        Assert.True(proxy.Faults > 100, $"only {proxy.Faults} faults injected");
        Assert.True(meter.Retries > 0);
        await AssertEachLandedOnceAsync(host, fileIds, reports, ct);
    }

    [Fact]
    public async Task FhirServerGoesDownMidRun_UnitsCompleteAfterQueueRetries_NothingLostOrDoubled()
    {
        var ct = TestContext.Current.CancellationToken;
        const string lab = "lab-killed";
        await using var proxy = await FaultInjectingProxy.StartAsync(stack.Stack.FhirBaseUrl, FaultPlan.None, ct);
        await using var host = new PipelineHost(stack.Stack, Settings(proxy));
        using var meter = new FhirMeterReading(host.Services);
        var (reports, files) = ReportBatches.Generate("KR", 50, ReportsPerFile);
        var fileIds = await ArriveAsync(host, lab, files, ct);

        // Down once a good part of the writes went through, cutting the requests in flight; up again 2 s later.
        using var outage = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var downAt = -1;
        var killer = Task.Run(
            async () =>
            {
                while (proxy.Forwarded < 50) await Task.Delay(5, outage.Token);
                downAt = proxy.Forwarded;
                await proxy.StopAsync(outage.Token);
                await Task.Delay(TimeSpan.FromSeconds(2), outage.Token);
                await proxy.StartAgainAsync(outage.Token);
            },
            outage.Token);
        var started = Stopwatch.StartNew();
        var drained = await host.DrainWithRedeliveryAsync(batchSize: 16, TimeSpan.FromSeconds(1), maxDequeueCount: 5, ct);
        await killer;

        Report($"kill and resume (down after {downAt} forwarded requests, for 2 s)", started.Elapsed, proxy, meter, drained);
        Assert.True(drained.Failures > 0, "the outage failed no delivery: it came too late to prove anything");
        Assert.Equal(0, drained.Poisoned);
        await AssertEachLandedOnceAsync(host, fileIds, reports, ct);
    }

    private static Dictionary<string, string?> Settings(FaultInjectingProxy proxy) => new()
    {
        ["Fhir:BaseUrl"] = proxy.BaseUrl.ToString(),
        ["Fhir:MaxRetries"] = "3",
        ["Fhir:RetryBaseDelay"] = "00:00:00.020",
        ["Fhir:AttemptTimeout"] = "00:00:10",
        ["Fhir:TotalTimeout"] = "00:00:30",
        ["Fhir:MaxConcurrency"] = "8",
        ["Fhir:BreakDuration"] = "00:00:00.500",
    };

    private static async Task<List<string>> ArriveAsync(PipelineHost host, string lab, IReadOnlyList<byte[]> files, CancellationToken ct)
    {
        var fileIds = new List<string>();
        for (var i = 0; i < files.Count; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"2026/batch-{i + 1}.hl7");
            await host.UploadAsync(lab, name, files[i], ct);
            await host.ArriveAsync(lab, name, ct);
            fileIds.Add(LabFileIds.For(lab, Convert.ToHexStringLower(SHA256.HashData(files[i]))));
        }

        return fileIds;
    }

    /// <summary>
    /// The ledger says Completed for every unit and file; on the FHIR server (asked directly, not through the
    /// proxy) each accession has one DiagnosticReport, each MRN one Patient, and that patient exactly the
    /// Observations the ledger recorded: none missing, none twice.
    /// </summary>
    private static async Task AssertEachLandedOnceAsync(
        PipelineHost host, IReadOnlyList<string> fileIds, IReadOnlyList<GeneratedReport> reports, CancellationToken ct)
    {
        var units = new List<LedgerUnit>();
        foreach (var fileId in fileIds)
        {
            Assert.Equal(FileState.Completed, (await host.Ledger.FindFileAsync(fileId, ct))!.State);
            units.AddRange(await host.Ledger.ListUnitsAsync(fileId, ct));
        }

        Assert.All(units, unit => Assert.Equal(UnitState.Completed, unit.State));
        Assert.Equal(reports.Select(r => r.Accession).Order(), units.Select(u => u.Accession!).Order());
        var unitOf = units.ToDictionary(u => u.Accession!);

        var problems = new List<string>();
        await Parallel.ForEachAsync(reports, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (report, token) =>
        {
            var unit = unitOf[report.Accession];
            var diagnosticReports = await SearchAsync(host, $"DiagnosticReport?identifier={report.Accession}", token);
            var patients = await SearchAsync(host, $"Patient?identifier={report.Mrn}", token);
            var expected = unit.ResourceReferences.Where(r => r.StartsWith("Observation/", StringComparison.Ordinal)).Order().ToList();
            var observations = patients.Count == 1
                ? await SearchAsync(host, $"Observation?subject=Patient/{patients[0]}&_count=1000", token)
                : [];
            var found = observations.Select(id => "Observation/" + id).Order().ToList();
            lock (problems)
            {
                if (diagnosticReports.Count != 1 || "DiagnosticReport/" + diagnosticReports[0] != unit.ReportReference)
                    problems.Add($"{report.Accession}: {diagnosticReports.Count} DiagnosticReport(s)");
                if (patients.Count != 1) problems.Add($"{report.Accession}: {patients.Count} Patient(s) for its MRN");
                if (expected.Count == 0 || !expected.SequenceEqual(found))
                    problems.Add($"{report.Accession}: {found.Count} Observation(s) on the server, {expected.Count} in the ledger");
            }
        });
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>The ids of the resources a search finds (its match entries).</summary>
    private static async Task<List<string>> SearchAsync(PipelineHost host, string query, CancellationToken ct)
    {
        using var response = await host.Fhir.GetAsync(query, ct);
        Assert.True(response.IsSuccessStatusCode, $"GET {query}: HTTP {(int)response.StatusCode}");
        var bundle = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
        return [.. (bundle["entry"] as JsonArray ?? [])
            .Where(e => e?["search"]?["mode"]?.GetValue<string>() is null or "match")
            .Select(e => e!["resource"]!["id"]!.GetValue<string>())];
    }

    private static void Report(string scenario, TimeSpan took, FaultInjectingProxy proxy, FhirMeterReading meter, RedeliveryReport drained)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{scenario}: proxy {proxy.Requests} requests, {proxy.Forwarded} forwarded (server time {proxy.UpstreamTime.TotalSeconds:F1} s), faults {proxy.Faults} " +
            $"(429 {proxy.FaultsOf(FaultKind.Throttled)}, 503 {proxy.FaultsOf(FaultKind.Unavailable)}, " +
            $"dropped before {proxy.FaultsOf(FaultKind.DroppedBeforeForwarding)}, dropped after {proxy.FaultsOf(FaultKind.DroppedAfterForwarding)}); " +
            $"writer retries {meter.Retries} ({meter.RetriesByReason}), 429s seen {meter.Throttled}, circuit opened {meter.CircuitOpened}; " +
            $"queue deliveries {drained.Deliveries}, failed {drained.Failures} ({string.Join(", ", drained.FailuresByType.Select(f => $"{f.Key} {f.Value}"))}), poisoned {drained.Poisoned}; drained in {took.TotalSeconds:F1} s");
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        if (Environment.GetEnvironmentVariable("PMED_FAULT_REPORT") is { Length: > 0 } file) File.AppendAllText(file, line + Environment.NewLine);
    }

    /// <summary>The FHIR writer's counters of one host (its own meter factory), summed.</summary>
    private sealed class FhirMeterReading : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _counts = [];

        public FhirMeterReading(IServiceProvider services)
        {
            var factory = services.GetRequiredService<IMeterFactory>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name.StartsWith("precisionmed.fhir.", StringComparison.Ordinal))
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                var key = tags.Length > 0 ? $"{instrument.Name}[{tags[0].Value}]" : instrument.Name;
                lock (_counts) _counts[key] = _counts.GetValueOrDefault(key) + value;
            });
            _listener.Start();
        }

        public long Retries => Sum("precisionmed.fhir.retries");

        public string RetriesByReason => Lock(() => string.Join(", ", _counts.Where(c => c.Key.StartsWith("precisionmed.fhir.retries[", StringComparison.Ordinal))
            .OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key["precisionmed.fhir.retries[".Length..^1]} {c.Value}")));

        public long Throttled => Sum("precisionmed.fhir.throttled");

        public long CircuitOpened => Sum("precisionmed.fhir.circuit_opened");

        public void Dispose() => _listener.Dispose();

        private long Sum(string name) => Lock(() => _counts.Where(c => c.Key == name || c.Key.StartsWith(name + "[", StringComparison.Ordinal)).Sum(c => c.Value));

        private T Lock<T>(Func<T> read)
        {
            lock (_counts) return read();
        }
    }
}
