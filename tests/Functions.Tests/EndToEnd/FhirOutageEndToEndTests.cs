using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using PrecisionMed.Cli.Ledger;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Functions.Tests.Hosting;
using PrecisionMed.Functions.Triggers;
using PrecisionMed.Testing.Faults;
using PrecisionMed.Testing.Stack;

namespace PrecisionMed.Functions.Tests.EndToEnd;

/// <summary>
/// A FHIR service down for far longer than the queue's redeliveries last, in scaled-down time: the proxy in front of
/// the FHIR dev server refuses every connection, units wait with growing delays instead of spending their dequeue
/// count, and all complete once by themselves when it is back. Only the retry budget ends in Failed.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class FhirOutageEndToEndTests(LocalStackFixture stack)
{
    /// <summary>host.json's <c>maxDequeueCount</c>.</summary>
    private const int MaxDequeueCount = 5;

    /// <summary>The queue's redelivery interval (host.json's 30 s visibilityTimeout) scaled down 150 times.</summary>
    private static readonly TimeSpan Redelivery = TimeSpan.FromMilliseconds(200);

    /// <summary>What the queue alone survives: a unit failing every delivery is poisoned after this long.</summary>
    private static readonly TimeSpan PoisonThreshold = Redelivery * MaxDequeueCount;

    /// <summary>The most the outage is drawn out while waiting for every unit to be tried past maxDequeueCount.</summary>
    private static readonly TimeSpan LongestOutage = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task FhirDownTwentyTimesThePoisonThreshold_NothingPoisonedEachReportWrittenOnceWhenBack()
    {
        var ct = TestContext.Current.CancellationToken;
        const string lab = "lab-outage";
        var outage = PoisonThreshold * 20;
        await using var proxy = await FaultInjectingProxy.StartAsync(stack.Stack.FhirBaseUrl, FaultPlan.None, ct);
        await using var host = new PipelineHost(stack.Stack, FhirFaultsEndToEndTests.Settings(proxy.BaseUrl));
        using var meter = new FhirFaultsEndToEndTests.FhirMeterReading(host.Services);
        var (reports, files) = ReportBatches.Generate("OU", 20, 1);
        var fileIds = await FhirFaultsEndToEndTests.ArriveAsync(host, lab, files, ct);
        var connection = new LedgerConnection(stack.Stack.CosmosEndpoint, stack.Stack.CosmosKey, host.CosmosDatabase, stack.Stack.AzuriteConnectionString, host.WorkQueueName);

        // Down before the first delivery: every report is in flight through the whole outage. It lasts 20x the nominal
        // threshold and, however slow a loaded machine makes each delivery, until every unit has failed more deliveries
        // than maxDequeueCount allows (what would have poisoned it had each failure thrown).
        await proxy.StopAsync(ct);
        var clock = Stopwatch.StartNew();
        var seen = new OutageObservations();
        var observer = Task.Run(
            async () =>
            {
                while (clock.Elapsed < outage || (seen.FewestAttempts(reports.Count) <= MaxDequeueCount && clock.Elapsed < LongestOutage))
                {
                    await seen.SampleAsync(host, fileIds, ct);
                    if (clock.Elapsed > outage / 2) await seen.ReadStatusAsync(() => StatusOfAsync(host, connection, fileIds[0], ct));
                    await Task.Delay(100, ct);
                }

                await proxy.StartAgainAsync(ct);
                return clock.Elapsed;
            },
            ct);
        var drained = await host.DrainWithRedeliveryAsync(batchSize: 16, Redelivery, MaxDequeueCount, ct);
        var total = clock.Elapsed;
        var recoveredAt = await observer;

        var units = await FhirFaultsEndToEndTests.AssertEachLandedOnceAsync(host, host.Fhir, fileIds, reports, ct);
        var attempts = units.Select(u => u.Attempt + 1).Order().ToList();
        FhirFaultsEndToEndTests.Report(
            string.Create(CultureInfo.InvariantCulture,
                $"FHIR outage ({reports.Count} reports; connections refused for {recoveredAt.TotalSeconds:F1} s, {recoveredAt / PoisonThreshold:F0}x the queue's poison threshold of {PoisonThreshold.TotalSeconds:F1} s = maxDequeueCount {MaxDequeueCount} x redelivery {Redelivery.TotalMilliseconds:F0} ms; put-back delay 0.2 s doubling to 1 s)"),
            total, proxy, meter, drained,
            string.Create(CultureInfo.InvariantCulture,
                $"; attempts per unit min {attempts[0]}, median {attempts[attempts.Count / 2]}, max {attempts[^1]} (failed in the outage at least {seen.FewestAttempts(reports.Count)}); "
                + $"drained {(total - recoveredAt).TotalSeconds:F1} s after recovery; units seen Waiting {seen.UnitsSeenWaiting.Count}, most at once {seen.MostWaitingAtOnce}"));

        Assert.True(recoveredAt >= outage, $"the outage lasted only {recoveredAt}");
        Assert.Equal(0, drained.Poisoned);
        Assert.Equal(0, drained.Failures); // no delivery threw: no message came near maxDequeueCount
        Assert.Equal(reports.Count, units.Count);
        Assert.True(seen.FewestAttempts(reports.Count) > MaxDequeueCount, $"a unit failed only {seen.FewestAttempts(reports.Count)} delivery(ies) in the outage: it did not outlast the queue's redeliveries");
        Assert.Equal(reports.Count, seen.UnitsSeenWaiting.Count);
        Assert.True(seen.WaitingHadNextAttempt, "a Waiting unit had no NextAttemptAt after its UpdatedAt");
        Assert.Equal(reports.Count, proxy.ForwardedOf("POST")); // one transaction a report reached the server: none written twice

        // The status API and pmed status showed the wait (no file name in either).
        var (api, cli) = (seen.ApiStatus ?? "{}", seen.CliStatus ?? string.Empty);
        TestContext.Current.TestOutputHelper?.WriteLine("pmed status during the outage:" + Environment.NewLine + cli);
        var apiUnits = JsonNode.Parse(api)!["units"]?.AsArray() ?? [];
        Assert.Contains(apiUnits, u => (string?)u!["state"] == "Waiting" && u["nextAttemptAt"] is not null && (string?)u["waitingReason"] == "the FHIR service could not be reached");
        Assert.Contains("Waiting", cli, StringComparison.Ordinal);
        Assert.Contains("the FHIR service could not be reached (attempt ", cli, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FhirDownPastTheRetryBudget_UnitsFailedWithTheReasonNotPoisonedByTheQueue()
    {
        var ct = TestContext.Current.CancellationToken;
        const string lab = "lab-outage-budget";
        await using var proxy = await FaultInjectingProxy.StartAsync(stack.Stack.FhirBaseUrl, FaultPlan.None, ct);
        var settings = FhirFaultsEndToEndTests.Settings(proxy.BaseUrl);
        settings["Pipeline:TransientRetryBudget"] = "00:00:03";
        await using var host = new PipelineHost(stack.Stack, settings);
        var (_, files) = ReportBatches.Generate("OB", 2, 2);
        var fileId = (await FhirFaultsEndToEndTests.ArriveAsync(host, lab, files, ct, "2026/budget.hl7"))[0];
        await proxy.StopAsync(ct);

        var drained = await host.DrainWithRedeliveryAsync(batchSize: 16, Redelivery, MaxDequeueCount, ct);

        Assert.Equal((0, 0), (drained.Poisoned, drained.Failures));
        var units = await host.Ledger.ListUnitsAsync(fileId, ct);
        Assert.Equal(2, units.Count);
        Assert.All(units, unit =>
        {
            Assert.Equal(UnitState.Failed, unit.State);
            Assert.Contains("the FHIR service could not be reached on every attempt for longer than the retry budget (Pipeline:TransientRetryBudget 00:00:03)", unit.Problem!.Reason, StringComparison.Ordinal);
            Assert.True(unit.Attempt > 1, $"unit {unit.UnitIndex} was put back {unit.Attempt} time(s)");
            Assert.Null(unit.NextAttemptAt);
        });
        Assert.Equal(FileState.Failed, (await host.Ledger.FindFileAsync(fileId, ct))!.State);
        Assert.True(await host.ExistsAsync(LabFileAreas.Incoming, $"{lab}/2026/budget.hl7", ct));
        var report = LabFileErrorReport.Parse(await host.ReadBlobAsync(LabFileAreas.Rejected, Originals.UnitErrorReport(lab, files[0], "2026/budget.hl7", 0), ct))!;
        Assert.Contains("retry budget", report.Reason, StringComparison.Ordinal);
        Assert.Equal(0, proxy.Forwarded);
    }

    /// <summary>The file's status as the API answers it and as <c>pmed status FILE</c> prints it.</summary>
    private static async Task<(string Api, string Cli)> StatusOfAsync(PipelineHost host, LedgerConnection connection, string fileId, CancellationToken ct)
    {
        var request = new TestHttpRequest(host.Context("FileStatusFunction", ct), "GET", new Uri($"http://localhost/api/files/{fileId}"));
        var response = (TestHttpResponse)await HttpApiFunctions.FileStatusAsync(request, fileId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await new StatusRunner(new StatusOptions(connection, fileId, null, 50, null, All: false, Json: false), stdout, stderr).RunAsync(ct);
        Assert.True(exit == StatusRunner.ExitOk, stderr.ToString());
        return (response.ReadBody(), stdout.ToString());
    }

    /// <summary>What the ledger said while the FHIR service was down, sampled.</summary>
    private sealed class OutageObservations
    {
        private readonly Dictionary<(string FileId, int UnitIndex), int> _attempts = [];

        public HashSet<(string FileId, int UnitIndex)> UnitsSeenWaiting { get; } = [];

        public int MostWaitingAtOnce { get; private set; }

        public bool WaitingHadNextAttempt { get; private set; } = true;

        /// <summary>The file's status from the API while its unit was Waiting.</summary>
        public string? ApiStatus { get; private set; }

        /// <summary>The file's status from <c>pmed status</c> while its unit was Waiting.</summary>
        public string? CliStatus { get; private set; }

        /// <summary>Reads the status (API and CLI) until each has been seen with the unit Waiting (it is Processing at times).</summary>
        public async Task ReadStatusAsync(Func<Task<(string Api, string Cli)>> read)
        {
            if (ApiStatus is not null && CliStatus is not null) return;
            var (api, cli) = await read();
            if (api.Contains("\"Waiting\"", StringComparison.Ordinal)) ApiStatus ??= api;
            // The unit's history says "Waiting" even while it is Processing: its row gives the attempt only while it waits.
            if (cli.Contains("(attempt ", StringComparison.Ordinal)) CliStatus ??= cli;
        }

        public async Task SampleAsync(PipelineHost host, IReadOnlyList<string> fileIds, CancellationToken ct)
        {
            var waiting = 0;
            foreach (var fileId in fileIds)
            {
                var units = await host.Ledger.ListUnitsAsync(fileId, ct);
                foreach (var unit in units) _attempts[(unit.FileId, unit.UnitIndex)] = unit.Attempt;
                foreach (var unit in units.Where(u => u.State == UnitState.Waiting))
                {
                    waiting++;
                    UnitsSeenWaiting.Add((unit.FileId, unit.UnitIndex));
                    if (unit.NextAttemptAt is not { } next || next <= unit.UpdatedAt) WaitingHadNextAttempt = false;
                }
            }

            MostWaitingAtOnce = Math.Max(MostWaitingAtOnce, waiting);
        }

        /// <summary>The fewest deliveries a unit has failed so far (a Waiting unit's attempt number counts them); 0 until all <paramref name="units"/> are seen.</summary>
        public int FewestAttempts(int units) => _attempts.Count < units ? 0 : _attempts.Values.Min();
    }
}
