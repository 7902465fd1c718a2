using System.Text;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Formats.Hl7v2;
using PrecisionMed.Core.Knowledge.Enrichment;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Work;
using PrecisionMed.Core.Tests.Formats;

namespace PrecisionMed.Core.Tests.Knowledge;

/// <summary>A lab that codes its variant panel items locally (the seed's example-lab maps GENE → 48018-6, CHG → 48004-6).</summary>
[Trait("Tier", "Fast")]
public sealed class LabCodeMappingTests
{
    private const string Message =
        "MSH|^~\\&|LIS|LAB|EHR|HOSP|20240301120000-0500||ORU^R01^ORU_R01|M-1|P|2.5.1\r"
        + "PID|1||P1^^^LAB^MR||TESTPATIENT^IOTA||19800101|F\r"
        + "OBR|1|REQ-1|ACC-1|SL-CGPANEL^Germline panel^L|||20240220||||||||||||||20240301120000-0500||GE|F\r"
        + "OBX|1|CWE|GENE^Gene studied^L|2a|HGNC:1100^BRCA1^HGNC||||||F\r"
        + "OBX|2|ST|CHG^DNA change^L|2a|NM_007294.3:c.5266dupC||||||F\r"
        + "OBX|3|CWE|69548-6^Genetic variant assessment^LN|2a|LA9633-4^Present^LN||||||F\r";

    private static Task<ReportTransaction> BuildAsync(string labId, ReportUnitBuilder builder) =>
        new Hl7v2Format().BuildUnitAsync(
            new MemoryStream(Encoding.ASCII.GetBytes(Message)),
            new ReportProvenance(labId, $"incoming/{labId}/m.hl7", new string('0', 64), "m.hl7", 0, 1, new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), "test"),
            builder,
            TestContext.Current.CancellationToken);

    [Fact]
    public async Task BuildUnit_LabWithCodeMap_LocalPanelItemsBecomeAVariantAndItsClinVarImplication()
    {
        var transaction = await BuildAsync("example-lab", new ReportUnitBuilder(ReportEnricher.WithEmbeddedSeed()));
        var json = transaction.Bundles[^1].ToJsonString();

        Assert.Contains("StructureDefinition/variant\"", json, StringComparison.Ordinal);
        Assert.Contains("NM_007294.3:c.5266dupC", json, StringComparison.Ordinal);
        Assert.Contains("clinvar/variation/17677", json, StringComparison.Ordinal);
        Assert.DoesNotContain(transaction.Skipped, s => s.Position.Field is "GENE" or "CHG");
    }

    [Fact]
    public async Task BuildUnit_LabWithoutCodeMap_LocalRowsStayPlainResults()
    {
        var transaction = await BuildAsync("lab-a", new ReportUnitBuilder(ReportEnricher.WithEmbeddedSeed()));
        Assert.DoesNotContain("clinvar/variation/17677", transaction.Bundles[^1].ToJsonString(), StringComparison.Ordinal);
    }
}
