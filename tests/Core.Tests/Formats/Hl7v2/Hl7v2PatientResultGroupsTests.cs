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

    private static Hl7v2Message Message(string secondPid) => Parse(string.Join('\r',
        Header,
        FirstPid,
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
}
