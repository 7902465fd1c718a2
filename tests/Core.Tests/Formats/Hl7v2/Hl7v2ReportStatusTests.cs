using PrecisionMed.Core.Formats.Hl7v2;
using PrecisionMed.Core.LabReports;
using static PrecisionMed.Core.Tests.Formats.Hl7v2.Hl7v2TestMessages;

namespace PrecisionMed.Core.Tests.Formats.Hl7v2;

/// <summary>
/// Result status: OBR-25 gives the report's status, an OBX-11 correction or amendment under a final OBR
/// makes the report corrected or amended, and each variant keeps its own OBX-11 — in the LabReport and in the FHIR.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class Hl7v2ReportStatusTests
{
    private const string LabId = "lab-a";

    /// <summary>A germline message with two variant groups: OBR-25 and each group's OBX-11 as given.</summary>
    private static string Message(string obr25, string obx11Of2a = "F", string obx11Of2b = "F") => string.Join('\r',
        Header,
        "PID|1||MRN-1^^^HOSP^MR||TESTPATIENT^OMICRON||19800101|F",
        $"OBR|1|PL-1|FL-1|81247-9^Master HL7 genetic variant reporting panel^LN|||20240220|||||||||||||||20240301120000-0500||GE|{obr25}",
        $"OBX|1|CWE|48018-6^Gene studied^LN|2a|HGNC:1100^BRCA1^HGNC||||||{obx11Of2a}",
        $"OBX|2|CWE|48004-6^DNA change (c.HGVS)^LN|2a|NM_007294.3:c.5266dupC^^HGVS||||||{obx11Of2a}",
        $"OBX|3|CWE|69548-6^Genetic variant assessment^LN|2a|LA9633-4^Present^LN||||||{obx11Of2a}",
        $"OBX|4|CWE|48018-6^Gene studied^LN|2b|HGNC:1101^BRCA2^HGNC||||||{obx11Of2b}",
        $"OBX|5|CWE|48004-6^DNA change (c.HGVS)^LN|2b|NM_000059.3:c.68_69del^^HGVS||||||{obx11Of2b}",
        $"OBX|6|CWE|69548-6^Genetic variant assessment^LN|2b|LA9633-4^Present^LN||||||{obx11Of2b}") + "\r";

    [Theory]
    [InlineData("F", ReportStatus.Final)]
    [InlineData("", ReportStatus.Final)]
    [InlineData("C", ReportStatus.Corrected)]
    [InlineData("A", ReportStatus.Amended)]
    [InlineData("P", ReportStatus.Preliminary)]
    [InlineData("R", ReportStatus.Preliminary)]
    [InlineData("S", ReportStatus.Preliminary)]
    [InlineData("X", ReportStatus.Cancelled)]
    public void Map_Obr25_GivesTheReportStatus(string obr25, ReportStatus expected)
    {
        var report = Hl7v2ReportMapper.Map(Parse(Message(obr25)), LabId);

        Assert.Equal(expected, report.Status);
    }

    [Fact]
    public void Map_UnknownObr25_RejectedAtObr25()
    {
        var ex = Assert.Throws<LabFileRejectedException>(() => Hl7v2ReportMapper.Map(Parse(Message("Q")), LabId));

        Assert.Equal("OBR-25", ex.Problem.Position.Field);
        Assert.Contains("OBR-25 (result status)", ex.Problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_FinalObrWithAmendedObx_ReportAmendedAndOnlyThatVariantAmended()
    {
        var report = Hl7v2ReportMapper.Map(Parse(Message("F", obx11Of2a: "A")), LabId);

        Assert.Equal(ReportStatus.Amended, report.Status);
        Assert.Equal("amended", report.Variants.Single(v => v.Key == "2a").Status);
        Assert.Equal("final", report.Variants.Single(v => v.Key == "2b").Status);
    }

    [Fact]
    public void Map_FinalObrWithCorrectedAndAmendedObx_CorrectedWins()
    {
        // A correction changes a result already reported, an amendment only adds to it: the stronger one names the report.
        var report = Hl7v2ReportMapper.Map(Parse(Message("F", obx11Of2a: "A", obx11Of2b: "C")), LabId);

        Assert.Equal(ReportStatus.Corrected, report.Status);
    }

    [Fact]
    public void Map_PreliminaryObrWithFinalObx_StaysPreliminary()
    {
        // Only a final report is raised by its rows' corrections; a preliminary one stays preliminary whatever its rows say.
        var report = Hl7v2ReportMapper.Map(Parse(Message("P", obx11Of2a: "A")), LabId);

        Assert.Equal(ReportStatus.Preliminary, report.Status);
    }

    [Theory]
    [InlineData("A", "A", "F", "amended", "amended", "final")]
    [InlineData("F", "A", "F", "amended", "amended", "final")]
    [InlineData("P", "P", "P", "preliminary", "preliminary", "preliminary")]
    [InlineData("C", "C", "F", "corrected", "corrected", "final")]
    // No OBX-11 (the wrapped vcf2hl7v2 fragments): each variant takes OBR-25's status, never "final" under a preliminary report.
    [InlineData("P", "", "", "preliminary", "preliminary", "preliminary")]
    [InlineData("A", "", "", "amended", "amended", "amended")]
    public async Task Build_StatusCodes_DiagnosticReportAndVariantsCarryThem(
        string obr25, string obx11Of2a, string obx11Of2b, string reportStatus, string variant2aStatus, string variant2bStatus)
    {
        using var transaction = await BuildAsync(Bytes(Message(obr25, obx11Of2a, obx11Of2b)));

        var report = Assert.Single(Resources(transaction), r => (string?)r["resourceType"] == "DiagnosticReport");
        Assert.Equal(reportStatus, (string?)report["status"]);
        var variants = ObservationsOf(transaction, "variant");
        Assert.Equal(2, variants.Count);
        Assert.Equal(variant2aStatus, (string?)VariantWithGene(variants, "BRCA1")["status"]);
        Assert.Equal(variant2bStatus, (string?)VariantWithGene(variants, "BRCA2")["status"]);
    }

    [Fact]
    public async Task Build_PreliminaryReportWithoutObx11_LabResultIsPreliminary()
    {
        var text = string.Join('\r',
            Header,
            "PID|1||MRN-1^^^HOSP^MR||TESTPATIENT^OMICRON||19800101|F",
            "OBR|1|PL-1|FL-1|24331-1^Lipid panel^LN|||20240220|||||||||||||||20240301120000-0500||CH|P",
            "OBX|1|NM|2093-3^Cholesterol^LN||182|mg/dL^mg/dL^UCUM") + "\r";

        using var transaction = await BuildAsync(Bytes(text));

        var result = Assert.Single(Resources(transaction), r => (string?)r["resourceType"] == "Observation");
        Assert.Equal("preliminary", (string?)result["status"]);
    }

    private static System.Text.Json.Nodes.JsonObject VariantWithGene(List<System.Text.Json.Nodes.JsonObject> variants, string gene) =>
        Assert.Single(variants, v => v.ToJsonString().Contains($"\"{gene}\"", StringComparison.Ordinal));
}
