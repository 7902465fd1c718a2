using PrecisionMed.Core.Formats.Hl7v2;
using PrecisionMed.Core.LabReports;
using static PrecisionMed.Core.Tests.Formats.Hl7v2.Hl7v2TestMessages;

namespace PrecisionMed.Core.Tests.Formats.Hl7v2;

/// <summary>
/// PID-3 identifier systems ("assigning authority as system via the lab profile"): the authority's OID or URI,
/// else the lab profile's patientIdentifierSystem for the lab's own patient numbers, else a lab-scoped name.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class Hl7v2PatientIdentifierTests
{
    private const string LabId = "lab-a";
    private const string ProfileSystem = "urn:oid:2.16.840.1.113883.19.5.77";

    private static Hl7v2Message Message(string pid3) => Parse(string.Join('\r',
        Header,
        $"PID|1||{pid3}||TESTPATIENT^SIGMA||19800101|F",
        "OBR|1|PL-1|FL-1|81247-9^Genetic panel^LN") + "\r");

    private static LabReport Map(string pid3, string? profileSystem) =>
        Hl7v2ReportMapper.Map(Message(pid3), LabId, new Hl7v2LabConventions(null, profileSystem));

    [Theory]
    // The authority's OID or URI names the system anywhere: it wins over the profile.
    [InlineData("P1^^^LAB&2.16.840.1.113883.19.5.99&ISO^MR", ProfileSystem, "urn:oid:2.16.840.1.113883.19.5.99")]
    [InlineData("P1^^^LAB&https://lab.example.org/mrn&URI^MR", ProfileSystem, "https://lab.example.org/mrn")]
    [InlineData("P1^^^&https://lab.example.org/mrn^MR", ProfileSystem, "https://lab.example.org/mrn")]
    // No OID or URI: the lab profile's system, whether a namespace is named or not.
    [InlineData("P1^^^LAB^MR", ProfileSystem, ProfileSystem)]
    [InlineData("P1^^^LAB&LOCAL-7&L^MR", ProfileSystem, ProfileSystem)]
    [InlineData("P1^^^^MR", ProfileSystem, ProfileSystem)]
    [InlineData("P1^^^LAB^PI", ProfileSystem, ProfileSystem)]
    [InlineData("P1", ProfileSystem, ProfileSystem)]
    // No profile system: lab-scoped names, as before.
    [InlineData("P1^^^LAB^MR", null, "urn:precisionmed:lab:lab-a:assigner:LAB")]
    [InlineData("P1^^^^MR", null, "urn:precisionmed:lab:lab-a:patient-id")]
    [InlineData("P1^^^LAB&2.16.840.1.113883.19.5.99&ISO^MR", null, "urn:oid:2.16.840.1.113883.19.5.99")]
    // A universal id that only looks like a URI when untyped is a local name: the namespace decides.
    [InlineData("P1^^^LAB&HOSP:12^MR", null, "urn:precisionmed:lab:lab-a:assigner:LAB")]
    public void Map_Pid3Authority_SystemByPrecedence(string pid3, string? profileSystem, string expected)
    {
        var report = Map(pid3, profileSystem);

        var identifier = Assert.Single(report.Patient.Identifiers);
        Assert.Equal("P1", identifier.Value);
        Assert.Equal(expected, identifier.System);
        Assert.Empty(report.Skipped);
    }

    [Fact]
    public void Map_NationalNumberBesideTheLabsNumber_OnlyTheLabsNumberTakesTheProfileSystem()
    {
        var report = Map("P1^^^LAB^MR~9434765919^^^NHS^NH", ProfileSystem);

        Assert.Equal([ProfileSystem, "urn:precisionmed:lab:lab-a:assigner:NHS"], report.Patient.Identifiers.Select(i => i.System));
        Assert.Empty(report.Skipped);
    }

    [Theory]
    [InlineData("19XX0231", "F", "PID-7")]
    [InlineData("19800230", "F", "PID-7")]
    [InlineData("19800101", "Q", "PID-8")]
    [InlineData("19800101", "Female", "PID-8")]
    public void Map_BirthDateOrSexUnreadable_LeftOutAndListedAsSkipped_WithoutTheValue(string pid7, string pid8, string field)
    {
        var message = Parse(string.Join('\r', Header, $"PID|1||P1^^^LAB^MR||TESTPATIENT^SIGMA||{pid7}|{pid8}", "OBR|1|PL-1|FL-1|81247-9^Genetic panel^LN") + "\r");

        var report = Hl7v2ReportMapper.Map(message, LabId, new Hl7v2LabConventions(null, null));

        var problem = Assert.Single(report.Skipped);
        Assert.Equal(("PID[1]", field + ".1"), (problem.Position.Segment, problem.Position.Field));
        Assert.DoesNotContain(field == "PID-7" ? pid7 : pid8, problem.Reason, StringComparison.Ordinal);
        Assert.Equal(field == "PID-7" ? null : "1980-01-01", report.Patient.BirthDate);
        Assert.Equal(field == "PID-8" ? null : "female", report.Patient.Gender);
    }

    [Fact]
    public void Map_LabNumbersOfTwoAuthoritiesWithoutOid_ProfileSystemNotUsedAndReportedWithoutValues()
    {
        var report = Map("P1^^^LAB^MR~H7^^^HOSP^MR", ProfileSystem);

        Assert.Equal(["urn:precisionmed:lab:lab-a:assigner:LAB", "urn:precisionmed:lab:lab-a:assigner:HOSP"],
            report.Patient.Identifiers.Select(i => i.System));
        var problem = Assert.Single(report.Skipped);
        Assert.Equal("PID[1]", problem.Position.Segment);
        Assert.Equal("PID-3", problem.Position.Field);
        Assert.DoesNotContain("P1", problem.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("H7", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_LabNumberWithOidBesideOneWithout_TheOneWithoutTakesTheProfileSystem()
    {
        // Only one authority is left without an OID, so the profile's system is not ambiguous.
        var report = Map("P1^^^LAB^MR~H7^^^HOSP&2.16.840.1.113883.19.5.4&ISO^MR", ProfileSystem);

        Assert.Equal([ProfileSystem, "urn:oid:2.16.840.1.113883.19.5.4"], report.Patient.Identifiers.Select(i => i.System));
    }

    [Fact]
    public void Map_ProfileSystemNotAUri_NotUsedAndReported()
    {
        var report = Map("P1^^^LAB^MR", "lab MRNs");

        Assert.Equal("urn:precisionmed:lab:lab-a:assigner:LAB", Assert.Single(report.Patient.Identifiers).System);
        Assert.Contains("not an absolute URI", Assert.Single(report.Skipped).Reason, StringComparison.Ordinal);
    }

    [Theory]
    // The embedded seed's example-lab profile names urn:oid:2.16.840.1.113883.19.5.1; lab-a has no profile.
    [InlineData("example-lab", "urn:oid:2.16.840.1.113883.19.5.1")]
    [InlineData("lab-a", "urn:precisionmed:lab:lab-a:assigner:LAB")]
    public async Task Build_LabProfileFromTheKnowledgeStore_PatientIdentifierSystem(string labId, string expected)
    {
        var text = string.Join('\r',
            Header,
            "PID|1||P1^^^LAB^MR||TESTPATIENT^SIGMA||19800101|F",
            "OBR|1|PL-1|FL-1|81247-9^Genetic panel^LN",
            "OBX|1|CWE|48018-6^Gene studied^LN|2a|HGNC:1100^BRCA1^HGNC||||||F",
            "OBX|2|CWE|48004-6^DNA change (c.HGVS)^LN|2a|NM_007294.3:c.5266dupC^^HGVS||||||F") + "\r";

        using var transaction = await BuildAsync(Bytes(text), labId);

        var patient = Assert.Single(Resources(transaction), r => (string?)r["resourceType"] == "Patient");
        var identifier = Assert.Single(patient["identifier"]!.AsArray())!;
        Assert.Equal(expected, (string?)identifier["system"]);
        Assert.Equal("P1", (string?)identifier["value"]);
    }
}
