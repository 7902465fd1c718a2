using PrecisionMed.Core.Formats.Hl7v2;
using PrecisionMed.Core.LabReports;
using static PrecisionMed.Core.Tests.Formats.Hl7v2.Hl7v2TestMessages;

namespace PrecisionMed.Core.Tests.Formats.Hl7v2;

/// <summary>
/// An ORU^R01 may repeat its PATIENT_RESULT group (PID, then its orders and results). One message is one report of one
/// patient here, so a PID naming another patient must stop the message: its results must never be written under the first.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class Hl7v2PatientResultGroupsTests
{
    private const string FirstPid = "PID|1||MRN-1^^^HOSP^MR||DOE^JANE||19800101|F";

    private const string Oid = "2.16.840.1.113883.19.5";

    private static Hl7v2Message Message(string secondPid, string firstPid = FirstPid) => Parse(string.Join('\r',
        Header,
        firstPid,
        "OBR|1|PL-1|FL-1|2345-7^Glucose^LN",
        "OBX|1|NM|2345-7^Glucose^LN||182|mg/dL|||||F",
        secondPid,
        "OBR|2|PL-2|FL-2|2345-7^Glucose^LN",
        "OBX|1|NM|2345-7^Glucose^LN||300|mg/dL|||||F") + "\r");

    [Theory]
    [InlineData("PID|2||MRN-2^^^HOSP^MR||ROE^RICHARD||19700101|M")]
    [InlineData("PID|2||MRN-1^^^OTHER^MR||DOE^JANE||19800101|F")]
    [InlineData("PID|2||MRN-1^^^HOSP^MR~MRN-9^^^HOSP^MR||DOE^JANE||19800101|F")]
    [InlineData("PID|2||||ROE^RICHARD||19700101|M")]
    [InlineData("PID|2||MRN-1^^^HOSP^MR||ROE^RICHARD||19800101|F")]
    [InlineData("PID|2||MRN-1^^^HOSP^MR||DOE^JANE||19700101|F")]
    public void Map_SecondPidOfAnotherPatient_RejectedAtThatPid_WithoutValues(string secondPid)
    {
        var message = Message(secondPid);

        var error = Assert.Throws<LabFileRejectedException>(() => Hl7v2ReportMapper.Map(message, "lab-a"));

        Assert.Equal(5, error.Problem.Position.Line);
        Assert.Equal("PID[2]", error.Problem.Position.Segment);
        Assert.Contains("more than one patient", error.Problem.Reason, StringComparison.Ordinal);
        foreach (var value in new[] { "MRN", "ROE", "RICHARD", "DOE", "1970", "1980", "HOSP" })
            Assert.DoesNotContain(value, error.Problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_SecondPidRepeatingTheSamePatient_BothGroupsMappedAndTheRepeatListed()
    {
        var message = Message("PID|2||MRN-1^^^HOSP^MR||DOE^JANE||19800101|F");

        var report = Hl7v2ReportMapper.Map(message, "lab-a");

        Assert.Equal("MRN-1", Assert.Single(report.Patient.Identifiers).Value);
        Assert.Equal(2, report.LabResults.Count);
        Assert.Contains(report.Skipped, p => p.Position.Segment == "PID[2]" && p.Reason.Contains("same patient", StringComparison.Ordinal));
    }

    /// <summary>The same patient written as real lab systems write it: each must be read as one patient and listed.</summary>
    [Theory]
    // The assigning authority as HD with its OID in one PID-3, as its namespace id alone in the other (both ways round).
    [InlineData("PID|1||MRN-1^^^SOMELAB&" + Oid + "&ISO^MR||DOE^JANE||19800101|F", "PID|2||MRN-1^^^SOMELAB^MR||DOE^JANE||19800101|F")]
    [InlineData("PID|1||MRN-1^^^SOMELAB^MR||DOE^JANE||19800101|F", "PID|2||MRN-1^^^somelab&" + Oid + "&ISO^MR||DOE^JANE||19800101|F")]
    // The same OID under another namespace id; no authority on one side; no or another identifier type on one side.
    [InlineData("PID|1||MRN-1^^^LAB1&" + Oid + "&ISO^MR||DOE^JANE||19800101|F", "PID|2||MRN-1^^^LAB-ONE&" + Oid + "&ISO^MR||DOE^JANE||19800101|F")]
    [InlineData(FirstPid, "PID|2||MRN-1||DOE^JANE||19800101|F")]
    [InlineData(FirstPid, "PID|2||MRN-1^^^HOSP^PI||DOE^JANE||19800101|F")]
    // The birth date at minute precision, or at year precision; the family name in another case; sex unknown or not given.
    [InlineData(FirstPid, "PID|2||MRN-1^^^HOSP^MR||DOE^JANE||198001010000|F")]
    [InlineData(FirstPid, "PID|2||MRN-1^^^HOSP^MR||DOE^JANE||19800101000000+0100|F")]
    [InlineData(FirstPid, "PID|2||MRN-1^^^HOSP^MR||DOE^JANE||1980|F")]
    [InlineData(FirstPid, "PID|2||MRN-1^^^HOSP^MR|| Doe ^JANE||19800101|U")]
    [InlineData(FirstPid, "PID|2||MRN-1^^^HOSP^MR||||||")]
    // A further identifier of another authority beside the same MRN (both ways round).
    [InlineData(FirstPid, "PID|2||MRN-1^^^HOSP^MR~123-45-6789^^^SSA^SS||DOE^JANE||19800101|F")]
    [InlineData("PID|1||MRN-1^^^HOSP^MR~123-45-6789^^^SSA^SS||DOE^JANE||19800101|F", "PID|2||MRN-1^^^HOSP^MR||DOE^JANE||19800101|F")]
    // Two numbers of one authority and type, both in each PID (an old and a new MRN).
    [InlineData("PID|1||MRN-1^^^HOSP^MR~MRN-0^^^HOSP^MR||DOE^JANE||19800101|F", "PID|2||MRN-0^^^HOSP^MR~MRN-1^^^HOSP^MR||DOE^JANE||19800101|F")]
    public void Map_SecondPidOfTheSamePatientWrittenDifferently_BothGroupsMappedAndTheRepeatListed(string firstPid, string secondPid)
    {
        var message = Message(secondPid, firstPid);

        var report = Hl7v2ReportMapper.Map(message, "lab-a");

        Assert.Contains(report.Patient.Identifiers, i => i.Value == "MRN-1");
        Assert.Equal(2, report.LabResults.Count);
        Assert.Contains(report.Skipped, p => p.Position.Segment == "PID[2]" && p.Reason.Contains("same patient", StringComparison.Ordinal));
    }

    /// <summary>A shared identifier is not enough: anything the two PIDs say differently about the patient stops the message.</summary>
    [Theory]
    // Same authority (by namespace id or by OID) and type, another value beside the shared one.
    [InlineData(FirstPid, "PID|2||MRN-1^^^HOSP^MR~MRN-9^^^hosp^mr||DOE^JANE||19800101|F")]
    [InlineData("PID|1||MRN-1^^^SOMELAB&" + Oid + "&ISO^MR||DOE^JANE||19800101|F", "PID|2||MRN-1^^^SOMELAB^MR~MRN-7^^^&" + Oid + "&ISO^MR||DOE^JANE||19800101|F")]
    [InlineData("PID|1||MRN-1^^^HOSP^MR~123-45-6789^^^SSA^SS||DOE^JANE||19800101|F", "PID|2||MRN-1^^^HOSP^MR~987-65-4321^^^SSA^SS||DOE^JANE||19800101|F")]
    // Another birth date, at day, year or minute precision.
    [InlineData(FirstPid, "PID|2||MRN-1^^^HOSP^MR||DOE^JANE||19800102|F")]
    [InlineData(FirstPid, "PID|2||MRN-1^^^HOSP^MR||DOE^JANE||1981|F")]
    [InlineData(FirstPid, "PID|2||MRN-1^^^HOSP^MR||DOE^JANE||198001020000|F")]
    // Another sex.
    [InlineData(FirstPid, "PID|2||MRN-1^^^HOSP^MR||DOE^JANE||19800101|M")]
    // No shared identifier: another authority only, the value in another case, another OID under the same namespace id.
    [InlineData(FirstPid, "PID|2||123-45-6789^^^SSA^SS||DOE^JANE||19800101|F")]
    [InlineData(FirstPid, "PID|2||mrn-1^^^HOSP^MR||DOE^JANE||19800101|F")]
    [InlineData("PID|1||MRN-1^^^SOMELAB&" + Oid + "&ISO^MR||DOE^JANE||19800101|F", "PID|2||MRN-1^^^OTHERLAB&2.16.840.1.113883.19.99&ISO^MR||DOE^JANE||19800101|F")]
    [InlineData("PID|1||MRN-1^^^&" + Oid + "&ISO^MR||DOE^JANE||19800101|F", "PID|2||MRN-1^^^SOMELAB^MR||DOE^JANE||19800101|F")]
    public void Map_SecondPidSharingAnIdentifierButConflictingOrSharingNone_Rejected(string firstPid, string secondPid)
    {
        var message = Message(secondPid, firstPid);

        var error = Assert.Throws<LabFileRejectedException>(() => Hl7v2ReportMapper.Map(message, "lab-a"));

        Assert.Equal("PID[2]", error.Problem.Position.Segment);
        Assert.Contains("more than one patient", error.Problem.Reason, StringComparison.Ordinal);
        foreach (var value in new[] { "MRN", "DOE", "1980", "1981", "HOSP", "SOMELAB", "SSA", Oid })
            Assert.DoesNotContain(value, error.Problem.Reason, StringComparison.Ordinal);
    }
}
