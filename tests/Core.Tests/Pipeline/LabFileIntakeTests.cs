using PrecisionMed.Core.Formats;
using PrecisionMed.Core.Formats.Fhir;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Tests.Formats;

namespace PrecisionMed.Core.Tests.Pipeline;

[Trait("Tier", "Fast")]
public sealed class LabFileIntakeTests
{
    private static readonly byte[] Bundle = TestFiles.IgExample("Bundle-bundle-cgexample.json");

    [Fact]
    public async Task PlanAsync_IgBundle_HashFormatAndOneUnit()
    {
        var intake = new LabFileIntake([new FhirBundleFormat()]);

        var plan = await intake.PlanAsync(Open(Bundle), TestContext.Current.CancellationToken);

        Assert.Equal(new IntakePlan(PipelineHarness.HashOf(Bundle), new DetectedFormat(LabFileFormat.FhirJson, LabFileCompression.None), 1), plan);
    }

    [Fact]
    public async Task PlanAsync_ConcatenatedGzipMembers_ReadsThemAll()
    {
        var intake = new LabFileIntake([new FhirBundleFormat()]);
        var half = Bundle.Length / 2;
        byte[] twoMembers = [.. FormatDetectorTests.Gzip(Bundle[..half]), .. FormatDetectorTests.Gzip(Bundle[half..])];

        var plan = await intake.PlanAsync(Open(twoMembers), TestContext.Current.CancellationToken);

        Assert.Equal(LabFileCompression.Gzip, plan.Format.Compression);
        Assert.Equal(1, plan.UnitCount);
    }

    [Fact]
    public async Task PlanAsync_RecognisedFormatWithoutReader_RejectedOriginalKeptForReplay()
    {
        var intake = new LabFileIntake([]);

        var ex = await Assert.ThrowsAsync<LabFileRejectedException>(() =>
            intake.PlanAsync(Open(TestFiles.Read("hl7v2/general-lab/msft_LAB-ORU-1.hl7")), TestContext.Current.CancellationToken));

        Assert.Contains("Hl7v2 files are recognised", ex.Problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanAsync_UnknownContent_RejectedAtLineOne()
    {
        var intake = new LabFileIntake([new FhirBundleFormat()]);

        var ex = await Assert.ThrowsAsync<LabFileRejectedException>(() => intake.PlanAsync(Open("%PDF-1.7"u8.ToArray()), TestContext.Current.CancellationToken));

        Assert.Equal(new SourcePosition { Line = 1 }, ex.Problem.Position);
    }

    [Fact]
    public async Task BuildUnitAsync_GzipBundle_SameTransactionAsPlain()
    {
        var intake = new LabFileIntake([new FhirBundleFormat()]);
        var provenance = new ReportProvenance("lab-a", "incoming/lab-a/x", "hash", "x", 0, 1, DateTimeOffset.UnixEpoch, "1");

        var plain = await intake.BuildUnitAsync(Open(Bundle), provenance, TestContext.Current.CancellationToken);
        var gzip = await intake.BuildUnitAsync(Open(FormatDetectorTests.Gzip(Bundle)), provenance, TestContext.Current.CancellationToken);

        // Only the original's DocumentReference tells them apart: it names the file's own content type.
        Assert.Equal(
            plain.Bundles.Select(b => b.ToJsonString()),
            gzip.Bundles.Select(b => b.ToJsonString().Replace("\"application/gzip\"", "\"application/fhir\\u002Bjson\"", StringComparison.Ordinal)));
        Assert.Contains("\"application/gzip\"", gzip.Bundles[^1].ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildUnitAsync_UnitBeyondTheFile_Rejected()
    {
        var intake = new LabFileIntake([new FhirBundleFormat()]);
        var provenance = new ReportProvenance("lab-a", "incoming/lab-a/x", "hash", "x", 1, 2, DateTimeOffset.UnixEpoch, "1");

        var ex = await Assert.ThrowsAsync<LabFileRejectedException>(() => intake.BuildUnitAsync(Open(Bundle), provenance, TestContext.Current.CancellationToken));

        Assert.Contains("unit 2 was planned", ex.Problem.Reason, StringComparison.Ordinal);
    }

    private static OpenLabFile Open(byte[] content) => _ => Task.FromResult<Stream>(new MemoryStream(content, writable: false));
}
