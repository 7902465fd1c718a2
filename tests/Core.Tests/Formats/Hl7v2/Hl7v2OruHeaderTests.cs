using PrecisionMed.Core.Formats.Hl7v2;
using PrecisionMed.Core.LabReports;
using static PrecisionMed.Core.Tests.Formats.Hl7v2.Hl7v2TestMessages;

namespace PrecisionMed.Core.Tests.Formats.Hl7v2;

/// <summary>The header check: ORU^R01 only, versions 2.3 to 2.8, with reasons naming what was found.</summary>
[Trait("Tier", "Fast")]
public sealed class Hl7v2OruHeaderTests
{
    [Theory]
    [InlineData("2.3")]
    [InlineData("2.3.1")]
    [InlineData("2.4")]
    [InlineData("2.5")]
    [InlineData("2.5.1")]
    [InlineData("2.6")]
    [InlineData("2.7")]
    [InlineData("2.7.1")]
    [InlineData("2.8")]
    [InlineData("2.8.2")]
    [InlineData("2.5.1^USA^2.16.840.1.113883")]
    public void EnsureOruR01_SupportedVersion_Accepted(string version)
    {
        var message = Parse(Header.Replace("|2.5.1", "|" + version, StringComparison.Ordinal) + "\r");

        Hl7v2Parser.EnsureOruR01(message);
    }

    [Theory]
    [InlineData("2.2", "HL7 version 2.2 is not supported")]
    [InlineData("2.1", "HL7 version 2.1 is not supported")]
    [InlineData("2.9", "HL7 version 2.9 is not supported")]
    [InlineData("3.0", "HL7 version 3.0 is not supported")]
    [InlineData("2.51", "HL7 version 2.51 is not supported")]
    [InlineData("2.5.", "HL7 version 2.5. is not supported")]
    [InlineData("", "MSH-12 (version) is empty")]
    [InlineData("v2.5 (lab)", "MSH-12 (version) is empty or not a version number")]
    public void EnsureOruR01_UnsupportedVersion_RejectedWithVersion(string version, string reason)
    {
        var message = Parse(Header.Replace("|2.5.1", "|" + version, StringComparison.Ordinal) + "\r");

        var ex = Assert.Throws<LabFileRejectedException>(() => Hl7v2Parser.EnsureOruR01(message));

        Assert.StartsWith(reason, ex.Problem.Reason, StringComparison.Ordinal);
        Assert.Contains("versions 2.3 to 2.8", ex.Problem.Reason, StringComparison.Ordinal);
        Assert.Equal("MSH-12.1", ex.Problem.Position.Field);
        Assert.Equal("MSH[1]", ex.Problem.Position.Segment);
    }

    [Theory]
    [InlineData("ADT^A01", "message type ADT^A01 is not supported")]
    [InlineData("ORU^R30^ORU_R30", "message type ORU^R30 is not supported")]
    [InlineData("PPR^PC1", "message type PPR^PC1 is not supported")] // table 0003's patient-care events end in a letter or digit
    [InlineData("PGL^PCC", "message type PGL^PCC is not supported")]
    [InlineData("ORM", "message type ORM with an empty or malformed trigger event (MSH-9.2) is not supported")]
    [InlineData("ORU^R1", "message type ORU with an empty or malformed trigger event (MSH-9.2) is not supported")]
    [InlineData("SMITH^R01", "MSH-9 (message type) is empty or not a message type code")]
    [InlineData("", "MSH-9 (message type) is empty")]
    [InlineData("oru^r01", "MSH-9 (message type) is empty or not a message type code")]
    public void EnsureOruR01_OtherMessageType_RejectedNamingIt(string type, string reason)
    {
        var message = Parse(Header.Replace("ORU^R01^ORU_R01", type, StringComparison.Ordinal) + "\r");

        var ex = Assert.Throws<LabFileRejectedException>(() => Hl7v2Parser.EnsureOruR01(message));

        Assert.StartsWith(reason, ex.Problem.Reason, StringComparison.Ordinal);
        Assert.Contains("only ORU^R01", ex.Problem.Reason, StringComparison.Ordinal);
        Assert.Equal("MSH-9", ex.Problem.Position.Field);
    }
}
