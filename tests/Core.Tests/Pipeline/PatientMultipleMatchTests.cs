using System.Text.Json.Nodes;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Review;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Core.Tests.Pipeline;

/// <summary>
/// Concurrent first reports for one new patient: each may create a Patient (the FHIR service takes no lock between a
/// conditional create's match search and its create), and every later conditional create by that identifier is then
/// refused with 412. The report is never rejected for it: a 412 is settled by searching the identifier again (one or
/// no Patient: written again; several: held for review by the multiple-match check).
/// The corpus message's PID-3 is SL100002 in SOMELAB's OID.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class PatientMultipleMatchTests
{
    private const string Name = "2026/race.hl7";
    private const string IdentifierSystem = "urn:oid:2.16.840.1.113883.19.5.1";
    private const string Mrn = "SL100002";

    private static readonly byte[] Original = TestFiles.Read("hl7v2/authored/germline_from_cgexample.hl7");

    [Fact]
    public async Task HandleAsync_IdentifierAlreadyMatchesTwoPatients_HeldByTheMultipleMatchCheckNothingWritten()
    {
        using var harness = new PipelineHarness();
        harness.Writer.AddPatient(EmrPatient());
        harness.Writer.AddPatient(EmrPatient());

        var outcome = await IngestAsync(harness);

        Assert.Equal(WorkOutcome.Held, outcome);
        Assert.Empty(harness.Writer.Written);
        await AssertHeldForMultipleMatchesAsync(harness, patients: 2);
    }

    [Fact]
    public async Task HandleAsync_ReleasedButStillTwoPatients_HeldAgainNotWritten()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        harness.Writer.AddPatient(EmrPatient());
        harness.Writer.AddPatient(EmrPatient());
        Assert.Equal(WorkOutcome.Held, await IngestAsync(harness));

        var released = Assert.Single(await harness.Review.ReleaseAsync(PipelineHarness.FileIdOf(Original), unitIndex: null, ct));

        // A reviewer can waive disagreeing details, not an identifier that names two people: the EMR must merge them first.
        Assert.Equal(new ReviewedUnit(0, UnitState.Held, WorkOutcome.Held), released);
        Assert.Empty(harness.Writer.Written);
        Assert.Single(await harness.Review.ListAsync(ct));
    }

    /// <summary>The race lost between the check and the write: the 412 is answered by the multiple-match hold.</summary>
    [Fact]
    public async Task HandleAsync_ConditionalCreateRefusedWith412AfterARaceMadeTwoPatients_HeldNotRejected()
    {
        using var harness = new PipelineHarness();
        var writes = 0;
        harness.Writer.BeforeWrite = _ =>
        {
            if (writes++ > 0) return null;
            harness.Writer.AddPatient(EmrPatient()); // two concurrent reports each created one meanwhile
            harness.Writer.AddPatient(EmrPatient());
            return PreconditionFailed();
        };

        var outcome = await IngestAsync(harness);

        Assert.Equal(WorkOutcome.Held, outcome);
        Assert.Equal(1, writes);
        Assert.Empty(harness.Writer.Written);
        await AssertHeldForMultipleMatchesAsync(harness, patients: 2);
        Assert.DoesNotContain(harness.Store.Locations, l => l.StartsWith("rejected/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task HandleAsync_412OnceThenTheIdentifierMatchesAtMostOne_WrittenAgainAndCompleted(int patients)
    {
        using var harness = new PipelineHarness();
        for (var i = 0; i < patients; i++) harness.Writer.AddPatient(EmrPatient());
        var refusals = 0;
        harness.Writer.BeforeWrite = _ => refusals++ == 0 ? PreconditionFailed() : null;

        var outcome = await IngestAsync(harness);

        Assert.Equal(WorkOutcome.Completed, outcome);
        Assert.Equal(2, refusals); // the refused write and the one that went through
        var written = Assert.Single(harness.Writer.Written);
        var patientEntry = written["entry"]!.AsArray().Single(e => (string?)e!["resource"]!["resourceType"] == "Patient")!;
        Assert.Equal($"identifier={Uri.EscapeDataString(IdentifierSystem)}|{Mrn}", (string?)patientEntry["request"]!["ifNoneExist"]);
        Assert.Single(harness.Writer.Patients);
        Assert.Equal(UnitState.Completed, (await harness.UnitAsync(Original)).State);
        Assert.Equal(FileState.Completed, (await harness.FileAsync(Original)).State);
        Assert.Contains(harness.Logs.Messages, m => m.Contains("refused with HTTP 412 (attempt 1)", StringComparison.Ordinal));
    }

    /// <summary>
    /// A 412 the identifier does not explain (no Patient twice) is no reason to reject the lab's report: it is transient,
    /// so the unit waits and its work item is queued again with a delay, like any other transient FHIR failure.
    /// </summary>
    [Fact]
    public async Task HandleAsync_412KeepsComingWithOnePatient_WaitingForTheNextAttemptNeverRejected()
    {
        using var harness = new PipelineHarness();
        harness.Writer.AddPatient(EmrPatient());
        var refusals = 0;
        harness.Writer.BeforeWrite = _ =>
        {
            refusals++;
            return PreconditionFailed();
        };

        Assert.Equal(WorkOutcome.Waiting, await IngestAsync(harness));

        Assert.Equal(3, refusals);
        var unit = await harness.UnitAsync(Original);
        Assert.Equal(UnitState.Waiting, unit.State);
        Assert.Equal("the FHIR service answered HTTP 412", unit.WaitingReason);
        Assert.Equal(2, harness.Queue.Messages.Count); // the first delivery's item and its delayed copy
        Assert.DoesNotContain(harness.Store.Locations, l => l.StartsWith("rejected/", StringComparison.Ordinal));
    }

    /// <summary>A 412 to a transaction with no conditional Patient create is about the content: rejected as before.</summary>
    [Fact]
    public async Task HandleAsync_412ToABundleWithoutPatient_Rejected()
    {
        // A lab's FHIR bundle of results about nobody: its transaction creates no Patient.
        using var harness = new PipelineHarness();
        harness.Writer.BeforeWrite = _ => PreconditionFailed();
        var bundle = """
            {"resourceType":"Bundle","type":"collection","entry":[
              {"resource":{"resourceType":"Observation","id":"o1","status":"final","code":{"text":"x"}}}
            ]}
            """u8.ToArray();

        Assert.Equal(WorkOutcome.Rejected, await IngestAsync(harness, bundle, "2026/results.json"));
        Assert.Contains("HTTP 412", (await harness.UnitAsync(bundle)).Problem!.Reason, StringComparison.Ordinal);
    }

    private static async Task AssertHeldForMultipleMatchesAsync(PipelineHarness harness, int patients)
    {
        var unit = await harness.UnitAsync(Original);
        Assert.Equal(UnitState.Held, unit.State);
        Assert.Equal(HeldReport.ReasonForMultipleMatches(patients), unit.Problem!.Reason);
        Assert.Contains("multiple-match check", unit.Problem.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(Mrn, unit.Problem.Reason, StringComparison.Ordinal);
        Assert.Empty(unit.ResourceReferences);
        Assert.Equal(FileState.Held, (await harness.FileAsync(Original)).State);
        var report = HeldReport.Parse(harness.Store.Get(PipelineHarness.HeldReportOf(Original, Name, 0)))!;
        Assert.Equal([HeldReport.IdentifierField], report.Fields);
        Assert.Equal(Original, harness.Store.Get(PipelineHarness.ReviewCopy(Original, Name)));
        Assert.DoesNotContain(harness.Notifier.Published, n => n.FileId == unit.FileId);
        Assert.Contains(harness.Logs.Messages, m => m.StartsWith("Warning:", StringComparison.Ordinal)
            && m.Contains($"matches {patients} Patients", StringComparison.Ordinal) && !m.Contains(Mrn, StringComparison.Ordinal));
    }

    /// <summary>The EMR's Patient for the corpus message's MRN, with the message's own details (nothing disagrees).</summary>
    private static JsonObject EmrPatient() => new()
    {
        ["resourceType"] = "Patient",
        ["identifier"] = new JsonArray(new JsonObject { ["system"] = IdentifierSystem, ["value"] = Mrn }),
    };

    private static FhirRejectedException PreconditionFailed() =>
        new(412, "error required", "error required: Conditional operation on Patient was not attempted because search criteria was not selective enough.");

    private static async Task<WorkOutcome> IngestAsync(PipelineHarness harness, byte[]? content = null, string name = Name)
    {
        await harness.DropAsync(content ?? Original, name);
        var outcome = WorkOutcome.Dropped;
        foreach (var message in harness.Queue.Messages.ToList())
            outcome = await harness.Work.HandleAsync(message, TestContext.Current.CancellationToken);
        return outcome;
    }
}
