using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json.Nodes;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Replay;
using PrecisionMed.Core.Pipeline.Review;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Core.Tests.Pipeline;

/// <summary>
/// Patient safety: a second report for the same patient identifier whose family name, birth date or sex
/// disagrees with the Patient already in the FHIR service is held for review, written only when released.
/// The corpus message's PID reads SL100002 (SOMELAB's OID) ^ TESTPATIENT^BRAVO ^ 19800202 ^ U.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class PatientSafetyTests
{
    private const string FirstName = "2026/first.hl7";
    private const string SecondName = "2026/second.hl7";

    private static readonly byte[] Original = TestFiles.Read("hl7v2/authored/germline_from_cgexample.hl7");

    public static TheoryData<string, int, string, string> Disagreements() => new()
    {
        { "birth date", 7, "19810303", PatientDemographics.BirthDate },
        { "family name", 5, "OTHERNAME^BRAVO", PatientDemographics.FamilyName },
        { "sex", 8, "F", PatientDemographics.Sex },
    };

    [Theory]
    [MemberData(nameof(Disagreements))]
    public async Task HandleAsync_PatientDetailDisagrees_HeldNothingWrittenCopiedToReview(string what, int field, string value, string expectedField)
    {
        _ = what;
        using var harness = new PipelineHarness();
        var first = field == 8 ? Hl7Pid.With(Original, (8, "M")) : Original; // the corpus says U (unknown): make the sex known
        await IngestAsync(harness, first, FirstName);
        var second = Hl7Pid.With(first, (field, value));
        using var held = new HeldCounter();

        var outcome = await IngestAsync(harness, second, SecondName);

        Assert.Equal(WorkOutcome.Held, outcome);
        Assert.Single(harness.Writer.Written); // the first report's transaction only
        var unit = await harness.UnitAsync(second);
        Assert.Equal(UnitState.Held, unit.State);
        Assert.Equal(HeldReport.ReasonFor([expectedField]), unit.Problem!.Reason);
        Assert.Empty(unit.ResourceReferences);

        var file = await harness.FileAsync(second);
        Assert.Equal(FileState.Held, file.State);
        Assert.Equal(second, harness.Store.Get(PipelineHarness.Incoming(SecondName))); // kept for release
        Assert.Equal(second, harness.Store.Get(PipelineHarness.ReviewCopy(second, SecondName)));
        var report = HeldReport.Parse(harness.Store.Get(PipelineHarness.HeldReportOf(second, SecondName, 0)))!;
        Assert.Equal([expectedField], report.Fields);
        Assert.Equal(file.FileId, report.FileId);
        Assert.DoesNotContain(harness.Store.Locations, l => l.StartsWith("rejected/", StringComparison.Ordinal));
        Assert.DoesNotContain(harness.Notifier.Published, n => n.FileId == file.FileId);
        Assert.Contains(harness.Logs.Messages, m => m.StartsWith("Warning:", StringComparison.Ordinal)
            && m.Contains($"file {file.FileId}", StringComparison.Ordinal) && m.Contains("held for review", StringComparison.Ordinal));
        Assert.True(held.Count(PipelineHarness.LabId) >= 1);
    }

    [Fact]
    public async Task HandleAsync_SameDetailsToThePrecisionBothHave_Written()
    {
        using var harness = new PipelineHarness();
        await IngestAsync(harness, Original, FirstName);

        // Year-only birth date, family name in another case, sex and given names left out: nothing disagrees.
        var second = Hl7Pid.With(Original, (5, "testpatient "), (7, "1980"), (8, string.Empty));
        var outcome = await IngestAsync(harness, second, SecondName);

        Assert.Equal(WorkOutcome.Completed, outcome);
        Assert.Equal(2, harness.Writer.Written.Count);
        Assert.Equal(FileState.Completed, (await harness.FileAsync(second)).State);
        Assert.False(harness.Store.Exists(PipelineHarness.ReviewCopy(second, SecondName)));
    }

    [Fact]
    public async Task HandleAsync_UnknownPatient_WrittenAndPatientCreated()
    {
        using var harness = new PipelineHarness();

        var outcome = await IngestAsync(harness, Original, FirstName);

        Assert.Equal(WorkOutcome.Completed, outcome);
        Assert.Single(harness.Writer.Written);
        Assert.Single(harness.Writer.Patients);
        Assert.Equal(UnitState.Completed, (await harness.UnitAsync(Original)).State);
    }

    [Fact]
    public async Task HandleAsync_NoPatientIdentifier_RejectedAtPid3()
    {
        using var harness = new PipelineHarness();
        var anonymous = Hl7Pid.With(Original, (3, string.Empty));

        var outcome = await IngestAsync(harness, anonymous, FirstName);

        Assert.Equal(WorkOutcome.Rejected, outcome);
        Assert.Empty(harness.Writer.Written);
        var unit = await harness.UnitAsync(anonymous);
        Assert.Equal(UnitState.Rejected, unit.State);
        Assert.Equal("PID[1]", unit.Problem!.Position.Segment);
        Assert.Equal("PID-3", unit.Problem.Position.Field);
        Assert.Contains("cannot be tied to a patient", unit.Problem.Reason, StringComparison.Ordinal);
        Assert.Equal(FileState.Rejected, (await harness.FileAsync(anonymous)).State);
    }

    [Fact]
    public async Task HandleAsync_FhirPatientWithNeitherIdentifierNorId_RejectedAtTheEntry()
    {
        using var harness = new PipelineHarness();
        var bundle = JsonNode.Parse(TestFiles.IgExample("Bundle-bundle-cgexample.json"))!.AsObject();
        var patientEntry = bundle["entry"]!.AsArray().First(e => (string?)e!["resource"]!["resourceType"] == "Patient")!;
        var index = bundle["entry"]!.AsArray().IndexOf(patientEntry);
        patientEntry["resource"]!.AsObject().Remove("id");
        var content = Encoding.UTF8.GetBytes(bundle.ToJsonString());

        var outcome = await IngestAsync(harness, content, "2026/anonymous.json");

        Assert.Equal(WorkOutcome.Rejected, outcome);
        Assert.Empty(harness.Writer.Written);
        var unit = await harness.UnitAsync(content);
        Assert.Equal($"Bundle.entry[{index}].resource.identifier", unit.Problem!.Position.Path);
        Assert.Contains("cannot be tied to a patient", unit.Problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_FhirReportWithoutPatient_RejectedAtItsSubject()
    {
        using var harness = new PipelineHarness();
        var bundle = JsonNode.Parse(TestFiles.IgExample("Bundle-bundle-cgexample.json"))!.AsObject();
        var entries = bundle["entry"]!.AsArray();
        entries.Remove(entries.First(e => (string?)e!["resource"]!["resourceType"] == "Patient"));
        var reportIndex = entries.IndexOf(entries.First(e => (string?)e!["resource"]!["resourceType"] == "DiagnosticReport"));
        var content = Encoding.UTF8.GetBytes(bundle.ToJsonString());

        var outcome = await IngestAsync(harness, content, "2026/no-patient.json");

        Assert.Equal(WorkOutcome.Rejected, outcome);
        Assert.Equal($"Bundle.entry[{reportIndex}].resource.subject", (await harness.UnitAsync(content)).Problem!.Position.Path);
        Assert.Empty(harness.Writer.Written);
    }

    [Fact]
    public async Task ReleaseAsync_HeldUnit_WrittenAsThePipelineWouldCompletedAndArchived()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        var (second, fileId) = await HoldASecondReportAsync(harness);

        var reviewed = await harness.Review.ReleaseAsync(fileId, unitIndex: null, ct);

        var released = Assert.Single(reviewed);
        Assert.Equal(new ReviewedUnit(0, UnitState.Completed, WorkOutcome.Completed), released);
        Assert.Equal(2, harness.Writer.Written.Count);
        Assert.Equal(harness.Writer.Written[0]["entry"]!.AsArray().Count, harness.Writer.Written[1]["entry"]!.AsArray().Count);
        var unit = await harness.UnitAsync(second);
        Assert.Equal(UnitState.Completed, unit.State);
        Assert.NotNull(unit.ReleasedAt);
        Assert.Null(unit.Problem);
        Assert.NotEmpty(unit.ResourceReferences);
        var file = await harness.FileAsync(second);
        Assert.Equal(FileState.Completed, file.State);
        Assert.Equal(second, harness.Store.Get(PipelineHarness.Archive(second, SecondName)));
        Assert.DoesNotContain(harness.Store.Locations, l => l.StartsWith("review/", StringComparison.Ordinal));
        Assert.Contains(harness.Notifier.Published, n => n.FileId == fileId);
        Assert.Empty(await harness.Review.ListAsync(ct));

        // The work item's redelivery finds the unit done: the release is not undone by a second check.
        Assert.Equal(WorkOutcome.AlreadyCompleted, await harness.Work.HandleAsync(harness.Queue.Messages[^1], ct));
    }

    [Fact]
    public async Task RejectAsync_HeldUnit_RejectedFileToRejectedWithTheReviewersReason()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        var (second, fileId) = await HoldASecondReportAsync(harness);

        var reviewed = await harness.Review.RejectAsync(fileId, unitIndex: 0, "wrong MRN on the requisition", ct);

        Assert.Equal([new ReviewedUnit(0, UnitState.Rejected)], reviewed);
        Assert.Single(harness.Writer.Written);
        var unit = await harness.UnitAsync(second);
        Assert.Equal(UnitState.Rejected, unit.State);
        Assert.EndsWith("rejected in review: wrong MRN on the requisition", unit.Problem!.Reason, StringComparison.Ordinal);
        var file = await harness.FileAsync(second);
        Assert.Equal(FileState.Rejected, file.State);
        Assert.Equal(second, harness.Store.Get(PipelineHarness.Rejected(second, SecondName)));
        Assert.False(harness.Store.Exists(PipelineHarness.Incoming(SecondName)));
        Assert.DoesNotContain(harness.Store.Locations, l => l.StartsWith("review/", StringComparison.Ordinal));
        var error = harness.ErrorReport(PipelineHarness.ErrorReportOf(second, SecondName));
        Assert.Contains("rejected in review", Assert.Single(error.Units!).Reason, StringComparison.Ordinal);
    }

    /// <summary>
    /// A unit held again after a replay (its attempt number raised by the replay) is still released by review: the
    /// release's work item carries the unit's attempt, so it is not taken for a stale copy.
    /// </summary>
    [Fact]
    public async Task ReleaseAsync_UnitHeldAgainAfterAReplay_WrittenAndCompleted()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        var (second, fileId) = await HoldASecondReportAsync(harness);
        await harness.Replayer.ReplayAsync(fileId, new ReplayRequest("operator via pmed", "EMR record checked", "corr-replay"), ct);
        Assert.Equal(WorkOutcome.Held, await harness.Work.HandleAsync(harness.Queue.Messages[^1], ct));
        Assert.True((await harness.UnitAsync(second)).Attempt > 0);

        var released = Assert.Single(await harness.Review.ReleaseAsync(fileId, unitIndex: null, ct));

        Assert.Equal(new ReviewedUnit(0, UnitState.Completed, WorkOutcome.Completed), released);
        Assert.Equal(2, harness.Writer.Written.Count);
        Assert.Equal(FileState.Completed, (await harness.FileAsync(second)).State);
    }

    /// <summary>A held unit replayed is checked again: held again while the EMR's Patient still disagrees, written once it agrees.</summary>
    [Fact]
    public async Task ReplayAsync_HeldUnit_HeldAgainUntilTheEmrPatientAgreesThenWritten()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        var (second, fileId) = await HoldASecondReportAsync(harness);
        var request = new ReplayRequest("operator via pmed", "EMR record checked", "corr-replay");

        Assert.Equal(ReplayOutcome.Replayed, (await harness.Replayer.ReplayAsync(fileId, request, ct)).Outcome);
        Assert.Equal(WorkOutcome.Held, await harness.Work.HandleAsync(harness.Queue.Messages[^1], ct));
        Assert.Equal(UnitState.Held, (await harness.UnitAsync(second)).State);
        Assert.Single(harness.Writer.Written);

        // The EMR corrects its Patient's birth date to the one the lab reported.
        foreach (var patient in harness.Writer.Patients) patient["birthDate"] = "1981-03-03";
        Assert.Equal(ReplayOutcome.Replayed, (await harness.Replayer.ReplayAsync(fileId, request, ct)).Outcome);
        Assert.Equal(WorkOutcome.Completed, await harness.Work.HandleAsync(harness.Queue.Messages[^1], ct));

        var unit = await harness.UnitAsync(second);
        Assert.Equal(UnitState.Completed, unit.State);
        Assert.Equal(2, unit.ReplayCount);
        Assert.Equal(FileState.Completed, (await harness.FileAsync(second)).State);
        Assert.Equal(2, harness.Writer.Written.Count);
        Assert.DoesNotContain(harness.Store.Locations, l => l.StartsWith("review/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListAsync_HeldUnitsOfABatch_OnlyTheHeldOneListedFileHeldUntilReleased()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        var batch = TestFiles.Read("hl7v2/authored/batch_three_messages.hl7");
        await harness.DropAsync(batch, FirstName);
        foreach (var message in harness.Queue.Messages.ToList()) await harness.Work.HandleAsync(message, ct);

        // Again, with the second message's patient born on another day.
        var messages = Encoding.UTF8.GetString(batch).Split("MSH|");
        messages[2] = Encoding.UTF8.GetString(Hl7Pid.With(Encoding.UTF8.GetBytes("MSH|" + messages[2]), (7, "19010101")))[4..];
        var changed = Encoding.UTF8.GetBytes(string.Join("MSH|", messages));
        var queued = harness.Queue.Messages.Count;
        await harness.DropAsync(changed, SecondName);
        foreach (var message in harness.Queue.Messages.Skip(queued).ToList()) await harness.Work.HandleAsync(message, ct);

        var held = Assert.Single(await harness.Review.ListAsync(ct));
        Assert.Equal((PipelineHarness.FileIdOf(changed), 1, PipelineHarness.LabId), (held.FileId, held.UnitIndex, held.LabId));
        Assert.Equal(FileState.Held, (await harness.FileAsync(changed)).State);

        await Assert.ThrowsAsync<ReviewException>(() => harness.Review.ReleaseAsync(held.FileId, unitIndex: 0, ct));
        await harness.Review.ReleaseAsync(held.FileId, unitIndex: 1, ct);

        Assert.Equal(FileState.Completed, (await harness.FileAsync(changed)).State);
        Assert.Empty(await harness.Review.ListAsync(ct));
    }

    /// <summary>The corpus message, then the same with another birth date, which is held: returns the second and its file id.</summary>
    private static async Task<(byte[] Content, string FileId)> HoldASecondReportAsync(PipelineHarness harness)
    {
        await IngestAsync(harness, Original, FirstName);
        var second = Hl7Pid.With(Original, (7, "19810303"));
        Assert.Equal(WorkOutcome.Held, await IngestAsync(harness, second, SecondName));
        return (second, PipelineHarness.FileIdOf(second));
    }

    private static async Task<WorkOutcome> IngestAsync(PipelineHarness harness, byte[] content, string name)
    {
        var queued = harness.Queue.Messages.Count;
        await harness.DropAsync(content, name);
        var outcome = WorkOutcome.Dropped;
        foreach (var message in harness.Queue.Messages.Skip(queued).ToList())
            outcome = await harness.Work.HandleAsync(message, TestContext.Current.CancellationToken);
        return outcome;
    }

    /// <summary>Counts <c>precisionmed.reports.held</c> measurements by lab while it lives (other tests may add to it).</summary>
    private sealed class HeldCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<string?> _labs = [];

        public HeldCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == PatientSafetyMetrics.MeterName && instrument.Name == PatientSafetyMetrics.HeldReports)
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string? lab = null;
                foreach (var tag in tags) if (tag.Key == "lab.id") lab = tag.Value as string;
                lock (_labs) _labs.AddRange(Enumerable.Repeat(lab, (int)value));
            });
            _listener.Start();
        }

        public int Count(string labId)
        {
            lock (_labs) return _labs.Count(l => l == labId);
        }

        public void Dispose() => _listener.Dispose();
    }
}
