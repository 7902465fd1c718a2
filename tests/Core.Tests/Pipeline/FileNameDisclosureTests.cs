using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Core.Tests.Pipeline;

/// <summary>
/// Status answers withhold the lab's file name (labs name files after patients) and every path or text that quotes it,
/// unless shown to an operator.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class FileNameDisclosureTests
{
    private const string Name = "2026/SMITH_JOHN_19800202.hl7";
    private static readonly DateTimeOffset At = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    private static readonly LedgerFile File = LedgerFile.Received("file-1", "lab-a", Name, "abc123", At) with
    {
        State = FileState.Rejected,
        StoredAt = $"rejected/lab-a/{Name}",
        Problem = new LabFileProblem(new SourcePosition { Line = 3 }, $"lab-a/{Name} is not HL7 v2"),
        History = [new LedgerEvent(At, "Received"), new LedgerEvent(At, $"Rejected; see rejected/lab-a/{Name}.error.json")],
    };

    private static readonly LedgerUnit Unit = new()
    {
        FileId = "file-1",
        ContentHash = "abc123",
        State = UnitState.Failed,
        Problem = new LabFileProblem(SourcePosition.None, $"unit of {Name} failed"),
        Skipped = [new LabFileProblem(new SourcePosition { Segment = "OBX" }, $"skipped in {Name}")],
        History = [new LedgerEvent(At, $"Replayed {Name}")],
    };

    [Fact]
    public void Answer_Withheld_NoNameNoStoredAtNoQuote()
    {
        var answer = LabFileStatusAnswer.Of(new LabFileStatus(File, [Unit]), FileNameDisclosure.Withheld);

        Assert.Null(answer.File.BlobName);
        Assert.Null(answer.File.StoredAt);
        Assert.Equal("lab-a/(file name withheld) is not HL7 v2", answer.File.Problem!.Reason);
        Assert.Equal(3, answer.File.Problem.Position.Line);
        Assert.Equal("Rejected; see rejected/lab-a/(file name withheld).error.json", answer.File.History[1].What);
        var unit = Assert.Single(answer.Units);
        Assert.DoesNotContain("SMITH", unit.Problem!.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("SMITH", unit.Skipped[0].Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("SMITH", unit.History[0].What, StringComparison.Ordinal);
        Assert.Equal((File.FileId, File.LabId, File.ContentHash, File.State), (answer.File.FileId, answer.File.LabId, answer.File.ContentHash, answer.File.State));
    }

    /// <summary>A VCF unit's accession is the file's name and the sample column (what the lab states, nothing more).</summary>
    [Fact]
    public void Answer_Withheld_VcfAccessionQuotingTheNameWithoutItsFolders()
    {
        var vcf = File with { BlobName = "2026/DOE_JANE_19700101.vcf" };
        var unit = Unit with { Accession = "DOE_JANE_19700101.vcf:sample-1", Problem = null, Skipped = [], History = [] };

        var answer = LabFileStatusAnswer.Of(new LabFileStatus(vcf, [unit]), FileNameDisclosure.Withheld);

        Assert.Equal("(file name withheld):sample-1", Assert.Single(answer.Units).Accession);
        Assert.Equal(unit.Accession, Assert.Single(LabFileStatusAnswer.Of(new LabFileStatus(vcf, [unit]), FileNameDisclosure.Shown).Units).Accession);
    }

    [Fact]
    public void Answer_Shown_TheRecordAsItIs()
    {
        var answer = LabFileStatusAnswer.Of(new LabFileStatus(File, [Unit]), FileNameDisclosure.Shown);

        Assert.Equal(Name, answer.File.BlobName);
        Assert.Equal(File.StoredAt, answer.File.StoredAt);
        Assert.Equal(File.Problem, answer.File.Problem);
        Assert.Equal(File.History, answer.File.History);
        Assert.Same(Unit, Assert.Single(answer.Units));
    }

    [Fact]
    public void Summary_WithheldOrShown()
    {
        var withheld = FileNames.Summary(File, [Unit], FileNameDisclosure.Withheld);
        var shown = FileNames.Summary(File, [Unit], FileNameDisclosure.Shown);

        Assert.Null(withheld.BlobName);
        Assert.DoesNotContain("SMITH", withheld.LastProblem!.Reason, StringComparison.Ordinal);
        Assert.Equal(Name, shown.BlobName);
        Assert.Equal(File.Problem, shown.LastProblem);
    }
}
