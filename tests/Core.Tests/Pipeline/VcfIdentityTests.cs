using System.Text;
using System.Text.Json.Nodes;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Core.Pipeline.Review;
using PrecisionMed.Core.Pipeline.Work;
using PrecisionMed.Testing.Vcf;

namespace PrecisionMed.Core.Tests.Pipeline;

/// <summary>
/// A VCF is tied to a patient and an accession only by what the lab states (its manifest): file names and sample
/// column names, which labs reuse, name nobody; a report replaces an earlier one only for the same accession and patient.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class VcfIdentityTests
{
    private const string ResultsVcf = "results.vcf";
    private static readonly string[] Labs = ["lab-a", "lab-b"];
    private static readonly byte[] Exome = TestFiles.Read("vcf/vcf2fhir/NB6TK328_filtered.vcf");
    private static readonly byte[] Pgx = TestFiles.Read("vcf/pgx/pharmcat_Sample_1.preprocessed.vcf");
    private static readonly byte[] Germline = TestFiles.Read("hl7v2/authored/germline_from_cgexample.hl7");

    [Fact]
    public async Task SameFileAndSampleNameForTwoPatients_TwoPatientsTwoReportsNothingWithdrawn()
    {
        using var harness = new PipelineHarness();
        var other = WithoutRecordAt(Exome, "chr19\t38499670\t"); // another person's file: other bytes, same name, same column

        var first = await IngestAsync(harness, Exome, ResultsVcf, Manifest(Exome, "mrn-A"));
        var second = await IngestAsync(harness, other, ResultsVcf, Manifest(other, "mrn-B"));

        Assert.Equal(UnitState.Completed, first.State);
        Assert.Equal(UnitState.Completed, second.State);
        Assert.NotEqual(first.ReportReference, second.ReportReference);
        Assert.NotEqual(first.Accession, second.Accession);
        Assert.DoesNotContain("results", first.Accession!, StringComparison.Ordinal); // a file name is never an accession
        Assert.Empty(second.WithdrawnReferences);
        Assert.Equal(2, harness.Writer.Patients.Count);
        Assert.Equal("final", await StatusAsync(harness, first.ReportReference!));
        Assert.Equal("final", await StatusAsync(harness, second.ReportReference!));
        Assert.All(await ReadAllAsync(harness, first.ResourceReferences), r => Assert.NotEqual("entered-in-error", (string?)r["status"]));
    }

    [Fact]
    public async Task TwoLabsSameFileAndSampleNames_TwoPatientsTwoReports()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        foreach (var lab in Labs)
        {
            harness.Store.Put(new LabFileLocation(LabFileAreas.Incoming, $"{lab}/{VcfManifest.NameFor(ResultsVcf)}"), Manifest(Exome, $"{lab}-mrn-"));
            harness.Store.Put(new LabFileLocation(LabFileAreas.Incoming, $"{lab}/{ResultsVcf}"), Exome);
            Assert.Equal(ArrivalOutcome.Queued, await harness.Arrival.HandleAsync(lab, ResultsVcf, "corr", null, ct));
            Assert.Equal(WorkOutcome.Completed, await harness.Work.HandleAsync(harness.Queue.Messages[^1], ct));
        }

        var units = await Task.WhenAll(Labs.Select(lab => harness.Ledger.FindUnitAsync(LabFileIds.For(lab, PipelineHarness.HashOf(Exome)), 0, ct)));
        Assert.Equal(2, harness.Writer.Patients.Count);
        Assert.NotEqual(units[0]!.ReportReference, units[1]!.ReportReference);
        Assert.All(units, u => Assert.Empty(u!.WithdrawnReferences));
    }

    [Fact]
    public async Task ResentForTheSameAccessionAndAnotherPatient_HeldAndTheFirstPatientsResultsUntouched()
    {
        using var harness = new PipelineHarness();
        var first = await IngestAsync(harness, Exome, ResultsVcf, Manifest(Exome, "mrn-A", "ACC-7"));
        var resent = WithoutRecordAt(Exome, "chr19\t38499670\t");
        var written = harness.Writer.Written.Count;

        var second = await IngestAsync(harness, resent, "results-2.vcf", Manifest(resent, "mrn-B", "ACC-7"), "results-2.vcf");

        Assert.Equal(UnitState.Held, second.State);
        Assert.Equal(HeldReport.ReasonForAnotherPatient, second.Problem!.Reason);
        Assert.Equal(written, harness.Writer.Written.Count); // nothing written
        Assert.Equal("final", await StatusAsync(harness, first.ReportReference!));
        Assert.All(await ReadAllAsync(harness, first.ResourceReferences), r => Assert.NotEqual("entered-in-error", (string?)r["status"]));
        var held = HeldReport.Parse(harness.Store.Get(PipelineHarness.HeldReportOf(resent, "results-2.vcf", 0)))!;
        Assert.Equal([HeldReport.SubjectField], held.Fields);
        Assert.True(harness.Store.Exists(PipelineHarness.Incoming("results-2.vcf"))); // the original kept
    }

    [Fact]
    public async Task Hl7v2SameFillerOrderAnotherPatient_HeldNothingWithdrawn()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        Assert.Equal(ArrivalOutcome.Queued, await harness.DropAsync(Germline, "first.hl7"));
        Assert.Equal(WorkOutcome.Completed, await harness.Work.HandleAsync(harness.Queue.Messages[^1], ct));
        var first = await harness.UnitAsync(Germline);
        var otherPatient = Hl7Pid.With(Germline, (3, "OTHER-MRN-99^^^HOSP^MR"));

        Assert.Equal(ArrivalOutcome.Queued, await harness.DropAsync(otherPatient, "second.hl7"));
        Assert.Equal(WorkOutcome.Held, await harness.Work.HandleAsync(harness.Queue.Messages[^1], ct));

        Assert.Equal(HeldReport.ReasonForAnotherPatient, (await harness.UnitAsync(otherPatient)).Problem!.Reason);
        Assert.All(await ReadAllAsync(harness, first.ResourceReferences), r => Assert.NotEqual("entered-in-error", (string?)r["status"]));
    }

    [Fact]
    public async Task VcfBeforeItsManifest_WaitsThenProcessedOnceWhenTheManifestArrives()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        Assert.Equal(ArrivalOutcome.Queued, await harness.DropAsync(Pgx, ResultsVcf, withManifest: false));
        var delayed = harness.Queue.Messages[^1];
        Assert.Equal(WorkOutcome.Waiting, await harness.Work.HandleAsync(delayed, ct));
        var waiting = await harness.UnitAsync(Pgx);
        Assert.Equal(UnitState.Waiting, waiting.State);
        Assert.Equal(VcfIdentityWait.WaitingForManifest, waiting.WaitingReason);
        Assert.Equal(TimeSpan.FromHours(1), harness.Queue.Delays[^1]);
        var recheck = harness.Queue.Messages[^1];
        Assert.Empty(harness.Writer.Written);

        Assert.Equal(ArrivalOutcome.Queued, await harness.DropAsync(Manifest(Pgx, "mrn-"), VcfManifest.NameFor(ResultsVcf)));
        Assert.Equal(WorkOutcome.Completed, await harness.Work.HandleAsync(harness.Queue.Messages[^1], ct));
        var written = harness.Writer.Written.Count;
        Assert.Equal(WorkOutcome.AlreadyCompleted, await harness.Work.HandleAsync(recheck, ct)); // the delayed re-check finds it done

        Assert.Equal(written, harness.Writer.Written.Count);
        Assert.Equal(FileState.Completed, (await harness.FileAsync(Pgx)).State);
        Assert.True(harness.Store.Exists(PipelineHarness.Archive(Pgx, VcfManifest.NameFor(ResultsVcf)))); // archived with its VCF
        Assert.False(harness.Store.Exists(PipelineHarness.Incoming(VcfManifest.NameFor(ResultsVcf))));
    }

    [Fact]
    public async Task ManifestBeforeItsVcf_KeptThenTheVcfProcessedOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        var manifest = Manifest(Pgx, "mrn-");
        Assert.Equal(ArrivalOutcome.Queued, await harness.DropAsync(manifest, VcfManifest.NameFor(ResultsVcf)));
        Assert.Empty(harness.Queue.Items);
        Assert.Equal(FileState.Completed, (await harness.FileAsync(manifest)).State); // recorded, not rejected
        Assert.True(harness.Store.Exists(PipelineHarness.Incoming(VcfManifest.NameFor(ResultsVcf))));

        Assert.Equal(ArrivalOutcome.Queued, await harness.DropAsync(Pgx, ResultsVcf, withManifest: false));
        Assert.Equal(WorkOutcome.Completed, await harness.Work.HandleAsync(harness.Queue.Messages[^1], ct));
        Assert.Equal(ArrivalOutcome.Duplicate, await harness.DropAsync(manifest, VcfManifest.NameFor(ResultsVcf))); // the same manifest again changes nothing

        Assert.Single(harness.Queue.Items);
        Assert.Single(harness.Writer.Patients);
        Assert.Equal(FileState.Completed, (await harness.FileAsync(Pgx)).State);
    }

    [Fact]
    public async Task SameManifestUnderAnotherName_CountedAsDuplicateAndTheFirstStillServesItsVcf()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        var manifest = Manifest(Pgx, "mrn-");
        const string OtherName = "other.vcf.manifest.json";
        Assert.Equal(ArrivalOutcome.Queued, await harness.DropAsync(manifest, VcfManifest.NameFor(ResultsVcf)));

        Assert.Equal(ArrivalOutcome.Duplicate, await harness.DropAsync(manifest, OtherName)); // names results.vcf, not other.vcf

        var file = await harness.FileAsync(manifest);
        Assert.Equal(FileState.Completed, file.State);
        Assert.Null(file.Problem);
        Assert.Equal(1, file.DuplicateCount);
        Assert.True(harness.Store.Exists(PipelineHarness.Incoming(VcfManifest.NameFor(ResultsVcf))));
        Assert.True(harness.Store.Exists(PipelineHarness.Archive(manifest, OtherName)));
        Assert.False(harness.Store.Exists(PipelineHarness.Incoming(OtherName)));
        Assert.False(harness.Store.Exists(PipelineHarness.Rejected(manifest, OtherName)));
        Assert.Equal(ArrivalOutcome.Queued, await harness.DropAsync(Pgx, ResultsVcf, withManifest: false));
        Assert.Equal(WorkOutcome.Completed, await harness.Work.HandleAsync(harness.Queue.Messages[^1], ct));
    }

    [Fact]
    public async Task ReCheckedBeforeTheWaitEnds_WaitsAgainInTheSameRecordedWait()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        await harness.DropAsync(Pgx, ResultsVcf, withManifest: false);
        Assert.Equal(WorkOutcome.Waiting, await harness.Work.HandleAsync(harness.Queue.Messages[^1], ct));

        harness.Clock.Advance(TimeSpan.FromMinutes(30)); // the re-check delivered early (at least once: a copy may come sooner)
        Assert.Equal(WorkOutcome.Waiting, await harness.Work.HandleAsync(harness.Queue.Messages[^1], ct));

        var unit = await harness.UnitAsync(Pgx);
        Assert.Equal(UnitState.Waiting, unit.State);
        Assert.Equal(VcfIdentityWait.WaitingForManifest, unit.WaitingReason);
        Assert.Equal(TimeSpan.FromMinutes(30), harness.Queue.Delays[^1]);
        Assert.Single(unit.History, e => e.What.StartsWith("Waiting", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ManifestNeverArrives_HeldAfterTheConfiguredWaitNamingIt()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness(o => o.VcfManifestWait = TimeSpan.FromMinutes(20));
        await harness.DropAsync(Pgx, ResultsVcf, withManifest: false);
        Assert.Equal(WorkOutcome.Waiting, await harness.Work.HandleAsync(harness.Queue.Messages[^1], ct));
        Assert.Equal(TimeSpan.FromMinutes(20), harness.Queue.Delays[^1]);

        harness.Clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(WorkOutcome.Held, await harness.Work.HandleAsync(harness.Queue.Messages[^1], ct));

        var unit = await harness.UnitAsync(Pgx);
        Assert.Equal(UnitState.Held, unit.State);
        Assert.StartsWith("held for review: no patient identity for sample column 1: no manifest", unit.Problem!.Reason, StringComparison.Ordinal);
        Assert.Contains("Pipeline:VcfManifestWait (00:20:00)", unit.Problem.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("results", unit.Problem.Reason, StringComparison.Ordinal); // no file name
        Assert.Empty(harness.Writer.Written);
        Assert.Equal(FileState.Held, (await harness.FileAsync(Pgx)).State);
        Assert.True(harness.Store.Exists(PipelineHarness.Incoming(ResultsVcf)));
    }

    [Fact]
    public async Task NoIdentitySourceAndNoWait_HeldAtOnceNothingWritten()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness(o => o.VcfManifestWait = TimeSpan.Zero);
        await harness.DropAsync(Exome, ResultsVcf, withManifest: false);

        Assert.Equal(WorkOutcome.Held, await harness.Work.HandleAsync(harness.Queue.Messages[^1], ct));

        var unit = await harness.UnitAsync(Exome);
        Assert.Equal(
            "held for review: no patient identity for sample column 1: no manifest (the VCF's file name + .manifest.json), and the lab profile names no VCF identity source",
            unit.Problem!.Reason);
        Assert.Empty(harness.Writer.Written);
        Assert.Empty(harness.Writer.Patients);
        Assert.Equal([HeldReport.IdentifierField], HeldReport.Parse(harness.Store.Get(PipelineHarness.HeldReportOf(Exome, ResultsVcf, 0)))!.Fields);
    }

    [Fact]
    public async Task ManifestWithoutTheSampleColumn_ThatUnitHeld()
    {
        var ct = TestContext.Current.CancellationToken;
        using var harness = new PipelineHarness();
        var manifest = TestVcfManifests.JsonForColumns(ResultsVcf, ["SOMEONE_ELSE"]);

        await IngestAsync(harness, Exome, ResultsVcf, manifest, expect: WorkOutcome.Held);

        var unit = await harness.UnitAsync(Exome);
        Assert.Equal("held for review: no patient identity for sample column 1: the VCF's manifest does not list that column", unit.Problem!.Reason);
        Assert.Empty(harness.Writer.Written);
    }

    [Fact]
    public async Task InvalidManifest_RejectedAtArrivalWithItsPathAndNoValue()
    {
        using var harness = new PipelineHarness();
        var manifest = Encoding.UTF8.GetBytes("""{"vcf": "results.vcf", "samples": [{"sample": "NB6TK328", "patient": {"identifier": {"system": "urn:oid:1.2.3", "value": "MRN-1"}, "birthDate": "14/03/1980"}}]}""");

        Assert.Equal(ArrivalOutcome.Rejected, await harness.DropAsync(manifest, VcfManifest.NameFor(ResultsVcf)));

        var file = await harness.FileAsync(manifest);
        Assert.Equal("$.samples[0].patient.birthDate", file.Problem!.Position.Path);
        Assert.Equal("VCF manifest: must be a date YYYY, YYYY-MM or YYYY-MM-DD", file.Problem.Reason);
        Assert.True(harness.Store.Exists(PipelineHarness.Rejected(manifest, VcfManifest.NameFor(ResultsVcf))));
    }

    [Theory]
    [InlineData("-00:00:01")]
    [InlineData("8.00:00:00")]
    public void VcfManifestWait_OutOfRange_NamedAsOperatorsSetIt(string wait)
    {
        var options = new PipelineOptions { VcfManifestWait = TimeSpan.Parse(wait, System.Globalization.CultureInfo.InvariantCulture) };

        var problem = Assert.Single(options.Problems());

        Assert.StartsWith("Pipeline:VcfManifestWait must be between 00:00:00 and", problem, StringComparison.Ordinal);
        Assert.Contains("environment variable Pipeline__VcfManifestWait", problem, StringComparison.Ordinal);
    }

    private static byte[] Manifest(byte[] vcf, string patientPrefix, string? accession = null, string vcfName = ResultsVcf)
    {
        var json = JsonNode.Parse(TestVcfManifests.Json(vcfName, vcf, patientPrefix))!.AsObject();
        if (accession is not null) json["samples"]![0]!["accession"] = accession;
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    private static async Task<LedgerUnit> IngestAsync(
        PipelineHarness harness, byte[] vcf, string name, byte[] manifest, string? manifestFor = null, WorkOutcome? expect = null)
    {
        var vcfName = manifestFor ?? name;
        var json = JsonNode.Parse(manifest)!.AsObject();
        json["vcf"] = vcfName;
        harness.Store.Put(PipelineHarness.Incoming(VcfManifest.NameFor(name)), Encoding.UTF8.GetBytes(json.ToJsonString()));
        Assert.Equal(ArrivalOutcome.Queued, await harness.DropAsync(vcf, name, withManifest: false));
        var outcome = await harness.Work.HandleAsync(harness.Queue.Messages[^1], TestContext.Current.CancellationToken);
        if (expect is { } expected) Assert.Equal(expected, outcome);
        return await harness.UnitAsync(vcf);
    }

    private static async Task<string?> StatusAsync(PipelineHarness harness, string reference) =>
        (string?)(await harness.Writer.ReadAsync(reference, TestContext.Current.CancellationToken))?["status"];

    private static async Task<List<JsonObject>> ReadAllAsync(PipelineHarness harness, IEnumerable<string> references) =>
        [.. (await Task.WhenAll(references.Select(r => harness.Writer.ReadAsync(r, TestContext.Current.CancellationToken)))).OfType<JsonObject>()];

    private static byte[] WithoutRecordAt(byte[] vcf, string prefix)
    {
        var lines = Encoding.UTF8.GetString(vcf).Split('\n').Where(l => !l.StartsWith(prefix, StringComparison.Ordinal));
        return Encoding.UTF8.GetBytes(string.Join('\n', lines));
    }
}
