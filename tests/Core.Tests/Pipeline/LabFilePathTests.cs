using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Core.Tests.Pipeline;

/// <summary>Lab identity only from the blob path: hostile or unknown paths are refused before anything is read.</summary>
[Trait("Tier", "Fast")]
public sealed class LabFilePathTests
{
    private static readonly byte[] Content = TestFiles.Read("hl7v2/authored/structural_cnv.hl7");

    [Theory]
    [InlineData("lab-a", "2026/03/result.hl7")]
    [InlineData("LAB_7.b", "x.vcf.gz")]
    [InlineData("lab-a", "a b/ünïcode name.hl7")]
    public void Problem_PlainPaths_Accepted(string labId, string name) =>
        Assert.Null(LabFilePath.Problem(labId, name, []));

    [Theory]
    [InlineData("lab-a", "../other-lab/x.hl7", "'..' path segment")]
    [InlineData("lab-a", "2026/../../x.hl7", "'..' path segment")]
    [InlineData("lab-a", "./x.hl7", "'.' path segment")]
    [InlineData("lab-a", "/etc/passwd", "absolute")]
    [InlineData("lab-a", "a//b.hl7", "empty path segment")]
    [InlineData("lab-a", "a\\..\\b.hl7", "backslash")]
    [InlineData("lab-a", "a\u0000b.hl7", "control characters")]
    [InlineData("lab-a", "", "no name")]
    [InlineData("..", "x.hl7", "not a plain lab id")]
    [InlineData("-lab", "x.hl7", "not a plain lab id")]
    [InlineData("lab a", "x.hl7", "not a plain lab id")]
    public void Problem_HostilePaths_RefusedWithAReasonThatDoesNotQuoteTheName(string labId, string name, string expected)
    {
        var problem = LabFilePath.Problem(labId, name, []);

        Assert.NotNull(problem);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        if (name.Length > 3) Assert.DoesNotContain(name, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_UnknownLabWhenLabsAreConfigured_Refused()
    {
        Assert.Null(LabFilePath.Problem("lab-a", "x.hl7", ["lab-a", "lab-b"]));
        Assert.Contains("not one of the configured labs", LabFilePath.Problem("lab-z", "x.hl7", ["lab-a", "lab-b"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Arrival_DotDotInTheName_RejectedKeptUnderItsIdNothingQueued()
    {
        using var harness = new PipelineHarness();
        const string name = "../lab-b/DOE-JANE.hl7";

        var outcome = await harness.DropAsync(Content, name);

        Assert.Equal(ArrivalOutcome.Rejected, outcome);
        Assert.Empty(harness.Queue.Messages);
        var fileId = PipelineHarness.FileIdOf(Content);
        var kept = new LabFileLocation(LabFileAreas.Rejected, $"{LabFilePath.UnsafePathFolder}/{fileId}");
        Assert.Equal(Content, harness.Store.Get(kept));
        var report = harness.ErrorReport(kept with { Path = kept.Path + ".error.json" });
        Assert.Contains("'..' path segment", report.Reason, StringComparison.Ordinal);
        Assert.False(harness.Store.Exists(PipelineHarness.Incoming(name)));
        var file = await harness.FileAsync(Content);
        Assert.Equal(FileState.Rejected, file.State);
        Assert.DoesNotContain(harness.Logs.Messages, l => l.Contains("DOE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Arrival_UnknownLab_Rejected()
    {
        using var harness = new PipelineHarness(options => options.KnownLabs.Add("some-other-lab"));

        var outcome = await harness.DropAsync(Content, "x.hl7");

        Assert.Equal(ArrivalOutcome.Rejected, outcome);
        Assert.Empty(harness.Queue.Messages);
        Assert.Contains("not one of the configured labs", (await harness.FileAsync(Content)).Problem!.Reason, StringComparison.Ordinal);
    }
}
