using PrecisionMed.Core.Formats.Hl7v2;
using PrecisionMed.Core.LabReports;
using static PrecisionMed.Core.Tests.Formats.Hl7v2.Hl7v2TestMessages;

namespace PrecisionMed.Core.Tests.Formats.Hl7v2;

/// <summary>
/// Deterministic ids include the OBX-4 group, so two variant groups carrying the same OBX-3 codes never
/// collapse into one resource, and a group keeps its id whatever the order of the rows.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class Hl7v2VariantGroupIdentityTests
{
    private const string LabId = "lab-a";

    /// <summary>Variant groups with the same three OBX-3 codes; each (sub-ID, c.HGVS) in the order given.</summary>
    private static byte[] Message(params (string SubId, string Hgvs)[] variants)
    {
        var segments = new List<string> { Header, "PID|1||MRN-1^^^HOSP^MR||TESTPATIENT^RHO||19800101|F", "OBR|1|PL-1|FL-1|81247-9^Genetic panel^LN" };
        var obx = 0;
        foreach (var (subId, hgvs) in variants)
        {
            segments.Add($"OBX|{++obx}|CWE|48018-6^Gene studied^LN|{subId}|HGNC:1100^BRCA1^HGNC||||||F");
            segments.Add($"OBX|{++obx}|CWE|48004-6^DNA change (c.HGVS)^LN|{subId}|{hgvs}^^HGVS||||||F");
            segments.Add($"OBX|{++obx}|CWE|69548-6^Genetic variant assessment^LN|{subId}|LA9633-4^Present^LN||||||F");
        }

        return Bytes(string.Join('\r', segments) + "\r");
    }

    [Fact]
    public void Map_AssessmentThatIsHl7sExplicitNull_IndeterminateNotPresent_AndListed()
    {
        var message = System.Text.Encoding.UTF8.GetString(Message(("2a", "NM_007294.3:c.68_69del"))).Replace("|LA9633-4^Present^LN|", "|\"\"|", StringComparison.Ordinal);

        var report = Hl7v2ReportMapper.Map(Hl7v2Parser.Parse(Bytes(message)), LabId);

        Assert.Equal(VariantAssessment.Indeterminate, Assert.Single(report.Variants).Assessment);
        Assert.Contains(report.Skipped, p => p.Reason.Contains("explicit null", StringComparison.Ordinal) && p.Reason.Contains("indeterminate", StringComparison.Ordinal));
    }

    [Fact]
    public void Map_TwoGroupsWithTheSameObx3Codes_TwoVariants()
    {
        var report = Hl7v2ReportMapper.Map(Hl7v2Parser.Parse(Message(("2a", "NM_007294.3:c.68_69del"), ("2b", "NM_007294.3:c.5266dupC"))), LabId);

        Assert.Equal(["2a", "2b"], report.Variants.Select(v => v.Key));
        Assert.Equal(["NM_007294.3:c.68_69del", "NM_007294.3:c.5266dupC"],
            report.Variants.Select(v => v.Components.Single(c => c.Code.Code == "48004-6").Value is CodedValue hgvs ? hgvs.Codings[0].Code : null));
    }

    [Fact]
    public async Task Build_TwoGroupsWithTheSameObx3Codes_TwoVariantsWithDistinctIds()
    {
        using var transaction = await BuildAsync(Message(("2a", "NM_007294.3:c.68_69del"), ("2b", "NM_007294.3:c.5266dupC")));

        var ids = ObservationsOf(transaction, "variant").Select(v => (string?)v["id"]).ToList();
        Assert.Equal(2, ids.Count);
        Assert.Equal(2, ids.Distinct().Count());
    }

    [Fact]
    public async Task Build_TwoGroupsWithIdenticalRows_StillTwoVariantsWithDistinctIds()
    {
        // The same variant reported twice (two groups, every row alike but OBX-4): kept twice, not merged into one.
        using var transaction = await BuildAsync(Message(("2a", "NM_007294.3:c.68_69del"), ("2b", "NM_007294.3:c.68_69del")));

        var ids = ObservationsOf(transaction, "variant").Select(v => (string?)v["id"]).ToList();
        Assert.Equal(2, ids.Count);
        Assert.Equal(2, ids.Distinct().Count());
    }

    [Fact]
    public async Task Build_SameGroupsInAnotherRowOrder_EachVariantKeepsItsId()
    {
        using var first = await BuildAsync(Message(("2a", "NM_007294.3:c.68_69del"), ("2b", "NM_007294.3:c.5266dupC")));
        using var reordered = await BuildAsync(Message(("2b", "NM_007294.3:c.5266dupC"), ("2a", "NM_007294.3:c.68_69del")));

        var before = IdsByHgvs(first);
        var after = IdsByHgvs(reordered);
        Assert.Equal(2, before.Count);
        Assert.Equal(before, after);
    }

    private static Dictionary<string, string?> IdsByHgvs(PrecisionMed.Core.Fhir.ReportTransaction transaction) =>
        ObservationsOf(transaction, "variant").ToDictionary(
            v => v.ToJsonString().Contains("c.68_69del", StringComparison.Ordinal) ? "c.68_69del" : "c.5266dupC",
            v => (string?)v["id"]);
}
