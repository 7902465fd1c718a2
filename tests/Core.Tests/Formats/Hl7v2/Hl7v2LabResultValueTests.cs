using PrecisionMed.Core.Formats.Hl7v2;
using PrecisionMed.Core.LabReports;
using static PrecisionMed.Core.Tests.Formats.Hl7v2.Hl7v2TestMessages;

namespace PrecisionMed.Core.Tests.Formats.Hl7v2;

/// <summary>OBX-5 of general-lab rows as the value the Observation carries: never the field's encoded text.</summary>
[Trait("Tier", "Fast")]
public sealed class Hl7v2LabResultValueTests
{
    private static LabResult Map(string obx, string header = Header) => Assert.Single(Hl7v2ReportMapper.Map(Parse(string.Join('\r',
        header,
        "PID|1||MRN-1^^^HOSP^MR||DOE^JANE||19800101|F",
        "OBR|1|PL-1|FL-1|24331-1^Lipid panel^LN",
        obx) + "\r"), "lab-a").LabResults);

    [Theory]
    // SN ratios and titers (a nasopharyngeal titer, a ratio): read as the lab wrote them, without the component separators.
    [InlineData("OBX|1|SN|5370-2^Titer^LN||^1^:^128||||||F", "1:128")]
    [InlineData("OBX|1|SN|5370-2^Titer^LN||<^1^/^64||||||F", "<1/64")]
    [InlineData("OBX|1|SN|5370-2^Titer^LN||^1^+||||||F", "1+")]
    public void Map_SnRatio_TextWithoutComponentSeparators(string obx, string expected)
    {
        var result = Map(obx);

        Assert.Equal(expected, Assert.IsType<TextValue>(result.Value).Text);
    }

    [Fact]
    public void Map_SnRatioUnderOtherEncodingCharacters_SameText()
    {
        var result = Map("OBX|1|SN|5370-2#Titer#LN||#1#:#128||||||F", "MSH|#!\\$|LIMS|LAB|EMR|HOSP|20260314092653||ORU#R01#ORU_R01|CTRL-1|P|2.5.1");

        Assert.Equal("1:128", Assert.IsType<TextValue>(result.Value).Text);
    }

    [Theory]
    [InlineData("12,5", "OBX-5")]
    [InlineData("4.2~12,5", "OBX-5(2)")]
    [InlineData("about 7", "OBX-5")]
    public void Map_NmValueThatIsNoNumber_KeptAsTextAndListedWithoutTheValue(string value, string field)
    {
        var report = Hl7v2ReportMapper.Map(Parse(string.Join('\r',
            Header,
            "PID|1||MRN-1^^^HOSP^MR||DOE^JANE||19800101|F",
            "OBR|1|PL-1|FL-1|24331-1^Lipid panel^LN",
            $"OBX|1|NM|2093-3^Cholesterol^LN||{value}|mg/dL|||||F") + "\r"), "lab-a");

        Assert.EndsWith(value.Split('~')[^1], Assert.IsType<TextValue>(Assert.Single(report.LabResults).Value).Text, StringComparison.Ordinal);
        var problem = Assert.Single(report.Skipped);
        Assert.Equal(("OBX[1]", field, 4L), (problem.Position.Segment, problem.Position.Field, problem.Position.Line!.Value));
        Assert.Contains("NM", problem.Reason, StringComparison.Ordinal);
        Assert.Contains("not a number", problem.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(value.Split('~')[^1], problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Map_NmValueThatIsANumber_NothingListed()
    {
        var report = Hl7v2ReportMapper.Map(Parse(string.Join('\r',
            Header,
            "PID|1||MRN-1^^^HOSP^MR||DOE^JANE||19800101|F",
            "OBR|1|PL-1|FL-1|24331-1^Lipid panel^LN",
            "OBX|1|NM|2093-3^Cholesterol^LN|| -12.5 |mg/dL|||||F") + "\r"), "lab-a");

        Assert.Equal(-12.5m, Assert.IsType<QuantityValue>(Assert.Single(report.LabResults).Value).Value);
        Assert.Empty(report.Skipped);
    }

    [Theory]
    [InlineData("ST")]
    [InlineData("NM")]
    [InlineData("CWE")]
    [InlineData("TX")]
    public void Map_Obx5ExplicitNull_NoValueRatherThanTheQuotes(string type)
    {
        var result = Map($"OBX|1|{type}|2093-3^Cholesterol^LN||\"\"|mg/dL|||||F");

        Assert.Null(result.Value);
    }
}
