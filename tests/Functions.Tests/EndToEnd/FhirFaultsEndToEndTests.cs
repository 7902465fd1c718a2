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
/// front of the FHIR dev server throttles, fails and drops connections, or the server process itself stops and
/// starts again; the queue redelivers what failed. Every report must land exactly once, counted on the FHIR
/// server itself.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class FhirFaultsEndToEndTests(LocalStackFixture stack)
{
    private const int ReportsPerFile = 50;

    [Fact]
    public async Task TwoHundredReports_ThirtyPercentFaults_EachLandsExactlyOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        const string lab = "lab-faults";
        await using var proxy = await FaultInjectingProxy.StartAsync(stack.Stack.FhirBaseUrl, new FaultPlan(Share: 0.3, Seed: 20261128), ct);
        await using var host = new PipelineHost(stack.Stack, Settings(proxy.BaseUrl));
        using var meter = new FhirMeterReading(host.Services);
        var (reports, files) = ReportBatches.Generate("FI", 200, ReportsPerFile);

        var arriving = Stopwatch.StartNew();
        var fileIds = await ArriveAsync(host, lab, files, ct);
        TestContext.Current.TestOutputHelper?.WriteLine($"{files.Count} files arrived in {arriving.Elapsed.TotalSeconds:F1} s");
        var started = Stopwatch.StartNew();
        var drained = await host.DrainWithRedeliveryAsync(batchSize: 16, TimeSpan.FromMilliseconds(200), maxDequeueCount: 5, ct);

        Report("fault injection (200 reports, 30% of requests)", started.Elapsed, proxy, meter, drained);
        Assert.Equal(0, drained.Poisoned);
        Assert.True(proxy.Faults > 100, $"only {proxy.Faults} faults injected");
        Assert.True(meter.Retries > 0);
        var checking = Stopwatch.StartNew();
        await AssertEachLandedOnceAsync(host, host.Fhir, fileIds, reports, ct);
        TestContext.Current.TestOutputHelper?.WriteLine($"counted on the FHIR server in {checking.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>
    /// The FHIR server process (one of this test's own, not the shared stack's) is stopped with SIGTERM mid-run,
    /// cutting the requests in flight, and started again on its port 2 s after it exited; its <c>--snapshot</c>
    /// keeps what it had stored, as a durable FHIR service does. Writes fail with connection refused meanwhile.
    /// </summary>
    [Fact]
    public async Task FhirServerProcessStoppedMidRun_UnitsCompleteAfterQueueRetries_NothingLostOrDoubled()
    {
        var ct = TestContext.Current.CancellationToken;
        const string lab = "lab-killed";
        await using var server = await FhirDevServer.StartAsync(ct);
        using var fhir = new HttpClient { BaseAddress = server.BaseUrl };
        await using var host = new PipelineHost(stack.Stack, Settings(server.BaseUrl));
        using var meter = new FhirMeterReading(host.Services);
        var (reports, files) = ReportBatches.Generate("KR", 50, ReportsPerFile);
        var fileIds = await ArriveAsync(host, lab, files, ct);

        // Down once a good part of the resources are stored (every version counts; a report writes about 30).
        using var outage = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var (storedAtStop, stopping, down, starting) = (0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
        var killer = Task.Run(
            async () =>
            {
                while ((storedAtStop = await VersionsStoredAsync(fhir, outage.Token)) < 400) await Task.Delay(20, outage.Token);
                var clock = Stopwatch.StartNew();
                await server.StopAsync(outage.Token);
                stopping = clock.Elapsed;
                await Task.Delay(TimeSpan.FromSeconds(2), outage.Token);
                await server.StartAgainAsync(outage.Token);
                (down, starting) = (clock.Elapsed, server.Ready);
            },
            outage.Token);
        var started = Stopwatch.StartNew();
        // Redelivery every 2 s, up to 30 deliveries: a minute, the start timeout of a node service (the server's
        // start took 15 s on a loaded 2-core machine).
        var drained = await host.DrainWithRedeliveryAsync(batchSize: 16, TimeSpan.FromSeconds(2), maxDequeueCount: 30, ct);
        await killer;

        Report(string.Create(CultureInfo.InvariantCulture,
                $"kill and resume (server process stopped with SIGTERM after {storedAtStop} resource versions stored, stop and snapshot {stopping.TotalSeconds:F1} s, " +
                $"down {down.TotalSeconds:F1} s, of which start {starting.TotalSeconds:F1} s)"),
            started.Elapsed, proxy: null, meter, drained);
        Assert.Equal(0, drained.Poisoned);
        var checking = Stopwatch.StartNew();
        var units = await AssertEachLandedOnceAsync(host, fhir, fileIds, reports, ct);
        Assert.True(units.Any(u => u.Attempt > 0), "the outage made no unit wait: it came too late to prove anything");
        TestContext.Current.TestOutputHelper?.WriteLine($"counted on the FHIR server in {checking.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task FhirServerRefusesTheContent_UnitRejectedWithTheOutcomeNotRetried()
    {
        var ct = TestContext.Current.CancellationToken;
        const string lab = "lab-refused";
        const string name = "2026/refused.hl7";
        await using var proxy = await FaultInjectingProxy.StartAsync(stack.Stack.FhirBaseUrl, FaultPlan.None with { RejectWrites = true }, ct);
        await using var host = new PipelineHost(stack.Stack, Settings(proxy.BaseUrl));
        var (_, files) = ReportBatches.Generate("RJ", 1, ReportsPerFile);
        var fileId = (await ArriveAsync(host, lab, files, ct, name))[0];

        var drained = await host.DrainWithRedeliveryAsync(batchSize: 16, TimeSpan.FromMilliseconds(200), maxDequeueCount: 5, ct);

        Assert.Equal((1, 0), (drained.Deliveries, drained.Failures));
        var unit = Assert.Single(await host.Ledger.ListUnitsAsync(fileId, ct));
        Assert.Equal(UnitState.Rejected, unit.State);
        Assert.Contains("HTTP 422", unit.Problem!.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("unknown code", unit.Problem.Reason, StringComparison.Ordinal); // server text stays out of the ledger
        Assert.Equal(FileState.Rejected, (await host.Ledger.FindFileAsync(fileId, ct))!.State);
        Assert.Equal(files[0], await host.ReadBlobAsync(LabFileAreas.Rejected, Originals.Rejected(lab, files[0], name), ct));
        var report = LabFileErrorReport.Parse(await host.ReadBlobAsync(LabFileAreas.Rejected, Originals.UnitErrorReport(lab, files[0], name, 0), ct))!;
        Assert.Contains("error processing at Bundle.entry[3].resource.code", report.Reason, StringComparison.Ordinal);
        Assert.Contains("unknown code (refusal injected)", report.Detail, StringComparison.Ordinal);
    }

    /// <summary>
    /// The FHIR client's retries and breaker, and the pipeline's put-back delays, in scaled-down time: a unit the FHIR
    /// service fails waits 0.1 to 1 s, not 15 s to 15 min.
    /// </summary>
    internal static Dictionary<string, string?> Settings(Uri fhirBaseUrl) => new()
    {
        ["Pipeline:TransientRetryBaseDelay"] = "00:00:00.200",
        ["Pipeline:TransientRetryMaxDelay"] = "00:00:01",
        ["Pipeline:TransientRetryBudget"] = "00:10:00",
        ["Fhir:BaseUrl"] = fhirBaseUrl.ToString(),
        ["Fhir:MaxRetries"] = "3",
        ["Fhir:RetryBaseDelay"] = "00:00:00.020",
        ["Fhir:AttemptTimeout"] = "00:00:10",
        ["Fhir:TotalTimeout"] = "00:00:30",
        ["Fhir:MaxConcurrency"] = "8",
        ["Fhir:BreakDuration"] = "00:00:00.500",
    };

    internal static async Task<List<string>> ArriveAsync(
        PipelineHost host, string lab, IReadOnlyList<byte[]> files, CancellationToken ct, string? onlyName = null)
    {
        var fileIds = new List<string>();
        for (var i = 0; i < files.Count; i++)
        {
            var name = onlyName ?? string.Create(CultureInfo.InvariantCulture, $"2026/batch-{i + 1}.hl7");
            await host.UploadAsync(lab, name, files[i], ct);
            await host.ArriveAsync(lab, name, ct);
            fileIds.Add(LabFileIds.For(lab, Convert.ToHexStringLower(SHA256.HashData(files[i]))));
        }

        return fileIds;
    }

    /// <summary>
    /// The ledger says Completed for every unit and file; on the FHIR server (<paramref name="fhir"/>, asked
    /// directly, not through the proxy) each accession has one DiagnosticReport, each MRN one Patient, and that
    /// patient exactly the Observations the ledger recorded: none missing, none twice. Returns the units as the ledger has them.
    /// </summary>
    internal static async Task<IReadOnlyList<LedgerUnit>> AssertEachLandedOnceAsync(
        PipelineHost host, HttpClient fhir, IReadOnlyList<string> fileIds, IReadOnlyList<GeneratedReport> reports, CancellationToken ct)
    {
        var units = new List<LedgerUnit>();
        foreach (var fileId in fileIds)
        {
            var file = (await host.Ledger.FindFileAsync(fileId, ct))!;
            var ofFile = await host.Ledger.ListUnitsAsync(fileId, ct);
            // Said in full when it fails: which units did not end, and how the file's record got where it is.
            var unitStates = string.Join(", ", ofFile.GroupBy(u => u.State).Select(g => $"{g.Key} {g.Count()}"));
            var history = string.Join(" -> ", file.History.Select(e => e.What));
            Assert.True(file.State == FileState.Completed, $"file {fileId} is {file.State}, expected Completed; units: {unitStates}; file history: {history}");
            units.AddRange(ofFile);
        }

        Assert.All(units, unit => Assert.Equal(UnitState.Completed, unit.State));
        Assert.Equal(reports.Select(r => r.Accession).Order(), units.Select(u => u.Accession!).Order());
        var unitOf = units.ToDictionary(u => u.Accession!);

        // A few searches for all reports at once (OR lists): the dev server scans linearly, one search a report is slow.
        var reportsByAccession = await SearchByAsync(fhir, "DiagnosticReport", "identifier", [.. reports.Select(r => r.Accession)], IdentifierValues, ct);
        var patientsByMrn = await SearchByAsync(fhir, "Patient", "identifier", [.. reports.Select(r => r.Mrn)], IdentifierValues, ct);
        var patientIds = patientsByMrn.Values.Where(p => p.Count == 1).Select(p => "Patient/" + p[0]).ToList();
        var observationsBySubject = await SearchByAsync(fhir, "Observation", "subject", patientIds, SubjectReference, ct);

        var problems = new List<string>();
        foreach (var report in reports)
        {
            var unit = unitOf[report.Accession];
            var diagnosticReports = reportsByAccession.GetValueOrDefault(report.Accession) ?? [];
            var patients = patientsByMrn.GetValueOrDefault(report.Mrn) ?? [];
            var expected = unit.ResourceReferences.Where(r => r.StartsWith("Observation/", StringComparison.Ordinal)).Order().ToList();
            var found = patients.Count == 1
                ? (observationsBySubject.GetValueOrDefault("Patient/" + patients[0]) ?? []).Select(id => "Observation/" + id).Order().ToList()
                : [];
            if (diagnosticReports.Count != 1 || "DiagnosticReport/" + diagnosticReports[0] != unit.ReportReference)
                problems.Add($"{report.Accession}: {diagnosticReports.Count} DiagnosticReport(s)");
            if (patients.Count != 1) problems.Add($"{report.Accession}: {patients.Count} Patient(s) for its MRN");
            if (expected.Count == 0 || !expected.SequenceEqual(found))
                problems.Add($"{report.Accession}: {found.Count} Observation(s) on the server, {expected.Count} in the ledger");
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        return units;
    }

    /// <summary>
    /// The ids of the resources whose <paramref name="parameter"/> is one of <paramref name="values"/>, by the value
    /// they matched (<paramref name="keysOf"/> reads it back from the resource); every page followed.
    /// </summary>
    private static async Task<Dictionary<string, List<string>>> SearchByAsync(
        HttpClient fhir, string type, string parameter, IReadOnlyList<string> values, Func<JsonNode, IEnumerable<string>> keysOf, CancellationToken ct)
    {
        var wanted = values.ToHashSet(StringComparer.Ordinal);
        var found = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var chunk in values.Chunk(50))
        {
            var next = $"{type}?{parameter}={string.Join(',', chunk.Select(Uri.EscapeDataString))}&_count=1000";
            while (next is not null)
            {
                using var response = await fhir.GetAsync(next, ct);
                Assert.True(response.IsSuccessStatusCode, $"GET {type}?{parameter}=...: HTTP {(int)response.StatusCode}");
                var bundle = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
                foreach (var entry in (bundle["entry"] as JsonArray ?? []).Where(e => e?["search"]?["mode"]?.GetValue<string>() is null or "match"))
                {
                    var resource = entry!["resource"]!;
                    foreach (var key in keysOf(resource).Where(wanted.Contains).Distinct())
                    {
                        if (!found.TryGetValue(key, out var ids)) found[key] = ids = [];
                        ids.Add(resource["id"]!.GetValue<string>());
                    }
                }

                next = (bundle["link"] as JsonArray ?? []).FirstOrDefault(l => l?["relation"]?.GetValue<string>() == "next")?["url"]?.GetValue<string>();
            }
        }

        return found;
    }

    /// <summary>Resource versions the server holds (tombstones included): its system history's total.</summary>
    private static async Task<int> VersionsStoredAsync(HttpClient fhir, CancellationToken ct)
    {
        using var response = await fhir.GetAsync("_history?_count=0", ct);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!["total"]!.GetValue<int>();
    }

    private static IEnumerable<string> IdentifierValues(JsonNode resource) =>
        (resource["identifier"] as JsonArray ?? []).Select(i => i?["value"]?.GetValue<string>()).OfType<string>();

    private static IEnumerable<string> SubjectReference(JsonNode resource) =>
        resource["subject"]?["reference"]?.GetValue<string>() is { } reference ? [reference] : [];

    /// <summary>The run's figures, to the test output and (test.sh sets PMED_FAULT_REPORT) to the file CI prints.</summary>
    internal static void Report(string scenario, TimeSpan took, FaultInjectingProxy? proxy, FhirMeterReading meter, RedeliveryReport drained, string? more = null)
    {
        var faults = proxy is null ? string.Empty : string.Create(CultureInfo.InvariantCulture,
            $"proxy {proxy.Requests} requests, {proxy.Forwarded} forwarded (server time {proxy.UpstreamTime.TotalSeconds:F1} s), faults {proxy.Faults} " +
            $"(429 {proxy.FaultsOf(FaultKind.Throttled)}, 503 {proxy.FaultsOf(FaultKind.Unavailable)}, " +
            $"dropped before {proxy.FaultsOf(FaultKind.DroppedBeforeForwarding)}, dropped after {proxy.FaultsOf(FaultKind.DroppedAfterForwarding)}); ");
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{scenario}: {faults}writer retries {meter.Retries} ({meter.RetriesByReason}), 429s seen {meter.Throttled}, circuit opened {meter.CircuitOpened}; " +
            $"queue deliveries {drained.Deliveries}, failed {drained.Failures} ({string.Join(", ", drained.FailuresByType.Select(f => $"{f.Key} {f.Value}"))}), poisoned {drained.Poisoned}; drained in {took.TotalSeconds:F1} s{more}");
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        if (Environment.GetEnvironmentVariable("PMED_FAULT_REPORT") is { Length: > 0 } file) File.AppendAllText(file, line + Environment.NewLine);
    }

    /// <summary>The FHIR writer's counters of one host (its own meter factory), summed.</summary>
    internal sealed class FhirMeterReading : IDisposable
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
