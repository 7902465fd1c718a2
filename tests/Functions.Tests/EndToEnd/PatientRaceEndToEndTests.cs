using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Review;
using PrecisionMed.Functions.Tests.Hosting;
using PrecisionMed.Testing.Stack;

namespace PrecisionMed.Functions.Tests.EndToEnd;

/// <summary>
/// Concurrent first reports for one new patient, through the functions and the real emulators: the work items are
/// delivered at once, as the Functions host does with a queue batch, so their conditional creates of the Patient meet
/// on the FHIR dev server. On the shared stack's server (one request at a time) one Patient results; a server of the
/// test's own started with <c>--race-conditional-creates 2</c> lets both create, as the Azure FHIR service can, and
/// <c>--fail-conditional-creates 1</c> refuses the first conditional create with 412 (dev/README.md). No report is
/// ever rejected for it.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class PatientRaceEndToEndTests(LocalStackFixture stack)
{
    private const string IdentifierSystem = "urn:oid:2.16.840.1.113883.19.5.1";

    [Fact]
    public async Task TwoFirstReportsForOneNewPatient_DeliveredTogetherToASerialisingServer_BothWrittenOnePatient()
    {
        var ct = TestContext.Current.CancellationToken;
        const string lab = "lab-race-serial";
        var events = new EventCounter();
        await using var host = new PipelineHost(stack.Stack, configureServices: (services, _) => services.AddLogging(l => l.AddProvider(events)));
        var (mrn, files) = ReportsForOneNewPatient("RS", 2);
        var fileIds = await ArriveAsync(host, lab, files, ct);

        var clock = Stopwatch.StartNew();
        var drained = await host.DrainWithRedeliveryAsync(batchSize: 16, TimeSpan.FromMilliseconds(200), maxDequeueCount: 5, ct);

        var units = await UnitsAsync(host, fileIds, ct);
        var patients = await PatientIdsAsync(host.Fhir, mrn, ct);
        Report("serialising server", files.Count, units, patients.Count, drained, events, clock.Elapsed);
        Assert.Equal((2, 0, 0), (drained.Deliveries, drained.Failures, drained.Poisoned));
        Assert.All(units, u => Assert.Equal(UnitState.Completed, u.State));
        var patient = Assert.Single(patients);
        foreach (var unit in units) Assert.Equal($"Patient/{patient}", await SubjectOfAsync(host.Fhir, unit, ct));
    }

    /// <summary>
    /// The race made two Patients for one identifier: both racing reports are written (each to the Patient it created),
    /// the next report for that identifier is held by the multiple-match check, nothing is rejected; once the EMR has
    /// merged the two (here: deleted the duplicate) the held report is released and written to the one left.
    /// </summary>
    [Fact]
    public async Task TwoFirstReportsRaceOnAServerThatLetsBothCreate_BothWrittenNextHeldForMultipleMatchesNothingRejected()
    {
        var ct = TestContext.Current.CancellationToken;
        const string lab = "lab-race";
        await using var server = await FhirDevServer.StartAsync(["--race-conditional-creates", "2"], ct);
        using var fhir = new HttpClient { BaseAddress = server.BaseUrl };
        var events = new EventCounter();
        await using var host = new PipelineHost(stack.Stack, Settings(server.BaseUrl), (services, _) => services.AddLogging(l => l.AddProvider(events)));
        var (mrn, files) = ReportsForOneNewPatient("RR", 3);

        var clock = Stopwatch.StartNew();
        var racing = await ArriveAsync(host, lab, files.Take(2).ToList(), ct);
        var raced = await host.DrainWithRedeliveryAsync(batchSize: 16, TimeSpan.FromMilliseconds(200), maxDequeueCount: 5, ct);
        var racedUnits = await UnitsAsync(host, racing, ct);
        var patients = await PatientIdsAsync(fhir, mrn, ct);
        Assert.Equal((2, 0, 0), (raced.Deliveries, raced.Failures, raced.Poisoned));
        Assert.All(racedUnits, u => Assert.Equal(UnitState.Completed, u.State));
        Assert.Equal(2, patients.Count); // the race happened: each conditional create saw no match and created
        var subjects = new List<string>();
        foreach (var unit in racedUnits) subjects.Add(await SubjectOfAsync(fhir, unit, ct));
        Assert.Equal(patients.Select(p => $"Patient/{p}").Order(), subjects.Order());

        var next = await ArriveAsync(host, lab, files.Skip(2).ToList(), ct);
        var drained = await host.DrainWithRedeliveryAsync(batchSize: 16, TimeSpan.FromMilliseconds(200), maxDequeueCount: 5, ct);
        var heldUnit = Assert.Single(await UnitsAsync(host, next, ct));
        var units = racedUnits.Append(heldUnit).ToList();
        Report("racing server (--race-conditional-creates 2), 2 racing reports then 1 more", files.Count, units, patients.Count,
            raced with { Deliveries = raced.Deliveries + drained.Deliveries, Failures = raced.Failures + drained.Failures, Poisoned = raced.Poisoned + drained.Poisoned },
            events, clock.Elapsed);
        Assert.Equal((1, 0, 0), (drained.Deliveries, drained.Failures, drained.Poisoned));
        Assert.Equal(UnitState.Held, heldUnit.State);
        Assert.Equal(HeldReport.ReasonForMultipleMatches(2), heldUnit.Problem!.Reason);
        Assert.DoesNotContain(mrn, heldUnit.Problem.Reason, StringComparison.Ordinal);
        Assert.Equal(FileState.Held, (await host.Ledger.FindFileAsync(heldUnit.FileId, ct))!.State);
        Assert.DoesNotContain(units, u => u.State == UnitState.Rejected);
        var review = host.Services.GetRequiredService<ReportReview>();
        var listed = Assert.Single(await review.ListAsync(ct), h => h.FileId == heldUnit.FileId);
        Assert.Equal([HeldReport.IdentifierField], listed.Fields);
        Assert.Equal(2, (await PatientIdsAsync(fhir, mrn, ct)).Count); // held: no third Patient, nothing written for it

        // The EMR merges the duplicates; the reviewer releases the report.
        using (var deleted = await fhir.DeleteAsync($"Patient/{patients[1]}", ct)) deleted.EnsureSuccessStatusCode();
        var released = Assert.Single(await review.ReleaseAsync(heldUnit.FileId, unitIndex: null, ct));

        Assert.Equal(UnitState.Completed, released.State);
        var written = (await host.Ledger.FindUnitAsync(heldUnit.FileId, 0, ct))!;
        Assert.Equal($"Patient/{patients[0]}", await SubjectOfAsync(fhir, written, ct));
        Assert.Equal(FileState.Completed, (await host.Ledger.FindFileAsync(heldUnit.FileId, ct))!.State);
    }

    /// <summary>
    /// The first conditional create is refused with 412 (as the Azure FHIR service answers when the identifier matched
    /// several Patients, one of which the EMR has since merged away): the writer searches the identifier again, finds the
    /// EMR's one Patient, writes again and completes against it, in the same delivery.
    /// </summary>
    [Fact]
    public async Task ConditionalCreateRefusedWith412OnTheFirstTry_SearchedAgainAndCompletedWithTheSingleMatch()
    {
        var ct = TestContext.Current.CancellationToken;
        const string lab = "lab-race-412";
        await using var server = await FhirDevServer.StartAsync(["--fail-conditional-creates", "1"], ct);
        using var fhir = new HttpClient { BaseAddress = server.BaseUrl };
        var events = new EventCounter();
        await using var host = new PipelineHost(stack.Stack, Settings(server.BaseUrl), (services, _) => services.AddLogging(l => l.AddProvider(events)));
        var (mrn, files) = ReportsForOneNewPatient("RF", 1);
        var emrPatient = await CreateEmrPatientAsync(fhir, mrn, ct);
        var fileIds = await ArriveAsync(host, lab, files, ct);

        var clock = Stopwatch.StartNew();
        var drained = await host.DrainWithRedeliveryAsync(batchSize: 16, TimeSpan.FromMilliseconds(200), maxDequeueCount: 5, ct);

        var unit = Assert.Single(await UnitsAsync(host, fileIds, ct));
        var patients = await PatientIdsAsync(fhir, mrn, ct);
        Report("server refusing the first conditional create (--fail-conditional-creates 1)", files.Count, [unit], patients.Count, drained, events, clock.Elapsed);
        Assert.Equal((1, 0, 0), (drained.Deliveries, drained.Failures, drained.Poisoned));
        Assert.Equal(1, events.Count(ConditionalCreateRefusedEvent));
        Assert.Equal(UnitState.Completed, unit.State);
        Assert.Equal([emrPatient], patients);
        Assert.Equal($"Patient/{emrPatient}", await SubjectOfAsync(fhir, unit, ct));
        var notice = Assert.Single((await host.NotificationQueue.ReceiveMessagesAsync(maxMessages: 32, cancellationToken: ct)).Value);
        Assert.Equal($"Patient/{emrPatient}", (string?)JsonNode.Parse(notice.MessageText)!["patientReference"]);
    }

    /// <summary>ReviewLog's event ids (Core): a 412 settled by a new search and write, a hold by the multiple-match check.</summary>
    private const int ConditionalCreateRefusedEvent = 7011;
    private const int HeldForMultipleMatchesEvent = 7010;

    private static Dictionary<string, string?> Settings(Uri fhirBaseUrl) => new() { ["Fhir:BaseUrl"] = fhirBaseUrl.ToString() };

    /// <summary>
    /// <paramref name="count"/> one-report HL7 batch files, each its own accession and message, all for one MRN no other
    /// test uses (the generated reports' MRNs made the first one's).
    /// </summary>
    private static (string Mrn, IReadOnlyList<byte[]> Files) ReportsForOneNewPatient(string tag, int count)
    {
        var runTag = tag + RandomNumberGenerator.GetHexString(6, lowercase: false);
        var (reports, files) = ReportBatches.Generate(runTag, count, perFile: 1);
        var mrn = reports[0].Mrn;
        var same = files.Select((file, i) => Encoding.UTF8.GetBytes(
            Encoding.UTF8.GetString(file).Replace(reports[i].Mrn + "^", mrn + "^", StringComparison.Ordinal))).ToList();
        return (mrn, same);
    }

    private static async Task<List<string>> ArriveAsync(PipelineHost host, string lab, IReadOnlyList<byte[]> files, CancellationToken ct)
    {
        var fileIds = new List<string>();
        foreach (var file in files)
        {
            var name = $"2026/report-{Convert.ToHexStringLower(SHA256.HashData(file))[..12]}.hl7";
            await host.UploadAsync(lab, name, file, ct);
            await host.ArriveAsync(lab, name, ct);
            fileIds.Add(LabFileIds.For(lab, Convert.ToHexStringLower(SHA256.HashData(file))));
        }

        return fileIds;
    }

    private static async Task<List<LedgerUnit>> UnitsAsync(PipelineHost host, IReadOnlyList<string> fileIds, CancellationToken ct)
    {
        var units = new List<LedgerUnit>();
        foreach (var fileId in fileIds) units.Add(Assert.Single(await host.Ledger.ListUnitsAsync(fileId, ct)));
        return units;
    }

    /// <summary>The ids of the Patients the FHIR server holds for the MRN, in the order it lists them.</summary>
    private static async Task<List<string>> PatientIdsAsync(HttpClient fhir, string mrn, CancellationToken ct)
    {
        using var response = await fhir.GetAsync($"Patient?identifier={Uri.EscapeDataString(IdentifierSystem)}|{mrn}", ct);
        response.EnsureSuccessStatusCode();
        var bundle = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
        return [.. (bundle["entry"] as JsonArray ?? []).Select(e => e!["resource"]!["id"]!.GetValue<string>())];
    }

    /// <summary>The written report's subject reference, read from the FHIR server.</summary>
    private static async Task<string> SubjectOfAsync(HttpClient fhir, LedgerUnit unit, CancellationToken ct)
    {
        using var response = await fhir.GetAsync(unit.ReportReference, ct);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!["subject"]!["reference"]!.GetValue<string>();
    }

    /// <summary>The EMR's Patient for the MRN, with the generated reports' details (nothing disagrees), created plainly.</summary>
    private static async Task<string> CreateEmrPatientAsync(HttpClient fhir, string mrn, CancellationToken ct)
    {
        var patient = new JsonObject
        {
            ["resourceType"] = "Patient",
            ["identifier"] = new JsonArray(new JsonObject { ["system"] = IdentifierSystem, ["value"] = mrn }),
            ["name"] = new JsonArray(new JsonObject { ["family"] = "TESTPATIENT", ["given"] = new JsonArray("ALPHA") }),
            ["birthDate"] = "1970-01-01",
        };
        using var content = new StringContent(patient.ToJsonString(), Encoding.UTF8, "application/fhir+json");
        using var response = await fhir.PostAsync("Patient", content, ct);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!["id"]!.GetValue<string>();
    }

    /// <summary>The run's figures to the test output: reports, outcomes, deliveries, 412s settled, holds, Patients.</summary>
    private static void Report(string scenario, int reports, IReadOnlyList<LedgerUnit> units, int patients, RedeliveryReport drained, EventCounter events, TimeSpan took)
    {
        var outcomes = string.Join(", ", units.GroupBy(u => u.State).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"));
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"patient race, {scenario}: {reports} reports for one new patient -> {outcomes}; Rejected {units.Count(u => u.State == UnitState.Rejected)}; " +
            $"queue deliveries {drained.Deliveries}, failed {drained.Failures}, poisoned {drained.Poisoned}; " +
            $"412s settled by a new search {events.Count(ConditionalCreateRefusedEvent)}, multiple-match holds {events.Count(HeldForMultipleMatchesEvent)}; " +
            $"Patients for the MRN on the server {patients}; {took.TotalSeconds:F1} s"));
    }

    /// <summary>Counts log events by id, every category (the pipeline's own events carry ids, never PHI).</summary>
    private sealed class EventCounter : ILoggerProvider
    {
        private readonly ConcurrentDictionary<int, int> _counts = new();

        public int Count(int eventId) => _counts.GetValueOrDefault(eventId);

        public ILogger CreateLogger(string categoryName) => new Logger(_counts);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentDictionary<int, int> counts) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (eventId.Id != 0) counts.AddOrUpdate(eventId.Id, 1, (_, n) => n + 1);
            }
        }
    }
}
