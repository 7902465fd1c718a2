using System.Text;
using System.Text.Json.Nodes;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Fhir.Genomics;
using static PrecisionMed.Core.Tests.Formats.Hl7v2.Hl7v2TestMessages;

namespace PrecisionMed.Core.Tests.Formats.Hl7v2;

/// <summary>
/// Whether an ORU^R01 is written as a genomic report is read from what the message says (OBR-4, OBR-24, the OBX rows),
/// not from its having no readable result. Inputs are corpus messages, changed in the test where the shape needs it.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class Hl7v2GenomicTestTests
{
    [Theory]
    // LinuxForHealth's echo report and FHIR-Converter's glucose report with every OBX-3 emptied: nothing readable is left.
    [InlineData("general-lab/lfh_ORU-multiline-short-mixed.hl7", "OBX|1|ST|12345|", "OBX|1|ST||")]
    [InlineData("general-lab/msft_ORU-R01-RMGEAD.hl7", "|1554-5^GLUCOSE^POST 12H CFST:MCNC:PT:SER/PLAS:QN|", "||")]
    public async Task Build_NoReadableResultAndNoGenomicCode_PlainLaboratoryReport(string file, string obx, string emptied)
    {
        var transaction = await BuildAsync(Changed(file, obx, emptied));

        Assert.DoesNotContain(Resources(transaction), r => (string?)r["resourceType"] == "Observation");
        var report = Report(transaction);
        Assert.Null(report["meta"]);
        Assert.Equal("LAB", (string?)report["category"]![0]!["coding"]![0]!["code"]);
        Assert.DoesNotContain(GenomicsCodes.GeneticAnalysisReport, report["code"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    // The withdrawn germline panel: OBR-4 names LOINC 51969-4 beside the lab's code, and OBR-24 is GE (Genetics).
    [InlineData("", "")]
    // OBR-24 alone says Genetics.
    [InlineData("^L^51969-4^Genetic analysis report^LN|", "^L|")]
    // OBR-4's LOINC code alone.
    [InlineData("||GE|X", "|||X")]
    public async Task Build_NoFindingButTheOrderIsGenomic_GenomicReport(string sent, string changed)
    {
        var transaction = await BuildAsync(Changed("authored/cancelled_germline.hl7", sent, changed));

        AssertGenomic(Report(transaction));
    }

    [Fact]
    public async Task Build_GenomicObxRowWithoutFindingUnderALocalOrder_GenomicReport()
    {
        // A negative result: the overall interpretation alone (a panel item, no finding), under an OBR-4 that is the lab's
        // code alone and no OBR-24.
        var withdrawn = Encoding.UTF8.GetString(Corpus("authored/cancelled_germline.hl7"))
            .Replace("^L^51969-4^Genetic analysis report^LN|", "^L|", StringComparison.Ordinal)
            .Replace("||GE|X", "|||F", StringComparison.Ordinal)
            .Replace("\rNTE|1|L|", "\rOBX|1|CWE|51968-6^Genetic disease analysis overall interpretation^LN|1|LA6577-6^Negative^LN||||||F\rNTE|1|L|", StringComparison.Ordinal);

        var transaction = await BuildAsync(Bytes(withdrawn));

        AssertGenomic(Report(transaction));
    }

    private static byte[] Changed(string file, string sent, string changed)
    {
        var text = Encoding.UTF8.GetString(Corpus(file));
        if (sent.Length == 0) return Bytes(text);
        Assert.Contains(sent, text, StringComparison.Ordinal);
        return Bytes(text.Replace(sent, changed, StringComparison.Ordinal));
    }

    private static JsonObject Report(ReportTransaction transaction) =>
        Resources(transaction).Single(r => (string?)r["resourceType"] == "DiagnosticReport");

    private static void AssertGenomic(JsonObject report)
    {
        Assert.Equal(GenomicsCodes.GenomicReportProfile, (string?)report["meta"]!["profile"]![0]);
        Assert.Equal("GE", (string?)report["category"]![0]!["coding"]![0]!["code"]);
        Assert.Equal(GenomicsCodes.GeneticAnalysisReport, (string?)report["code"]!["coding"]![0]!["code"]);
    }
}
