using System.Text;
using System.Text.Json;
using PrecisionMed.Core.Formats.Hl7v2;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Tests.Formats.Hl7v2;

/// <summary>
/// A coded value from the cache is what reading the element gives, whatever else was read before: for every OBX-3 and
/// OBX-5 repetition of every HL7 v2 file under TestData, both ways of reading a bare code and for two labs; and the
/// same bytes under other delimiters, another character set or another lab read as those say.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class Hl7v2CodedValueCacheTests
{
    [Fact]
    public void EveryCorpusCodedElement_TwiceFromTheCache_EqualsItsReading()
    {
        var compared = 0;
        foreach (var file in Hl7v2TestMessages.MessageFiles())
        {
            IReadOnlyList<Hl7v2MessageSlice> slices;
            try
            {
                slices = Hl7v2MessageSplitter.Split(Hl7v2TestMessages.Corpus(file)).Messages;
            }
            catch (LabFileRejectedException)
            {
                continue; // a bare OBX fragment is no message
            }

            foreach (var slice in slices)
            {
                var message = Hl7v2Parser.Parse(slice);
                foreach (var obx in message.Segments("OBX"))
                {
                    var value = obx.Field(5);
                    var elements = new List<Hl7v2Element> { obx.Field(3) };
                    for (var i = 1; i <= value.RepetitionCount; i++) elements.Add(value.Repetition(i));
                    foreach (var element in elements)
                    {
                        foreach (var (lab, bare) in new[] { ("lab-a", false), ("lab-a", true), ("lab-b", false) })
                        {
                            AssertSame(Hl7v2Codes.ReadCodedValue(element, lab, bare), Hl7v2Codes.ToCodedValue(element, lab, bare));
                            AssertSame(Hl7v2Codes.ReadCodedValue(element, lab, bare), Hl7v2Codes.ToCodedValue(element, lab, bare));
                            compared++;
                        }
                    }
                }
            }
        }

        Assert.True(compared > 1000, $"{compared} readings compared");
    }

    [Fact]
    public void SameBytes_OtherDelimitersCharacterSetOrLab_ReadAsThoseSay()
    {
        const string Obx = "OBX|1|CWE|LOCAL-1^Caf\\XC3A9\\ code^99LOC#48018-6^Gene^LN||x";
        var usual = Field3("MSH|^~\\&|L|F|R|F|20260101||ORU^R01|1|P|2.5.1\r" + Obx + "\r");
        var hashComponents = Field3("MSH|#~\\&|L|F|R|F|20260101||ORU^R01|1|P|2.5.1\r" + Obx + "\r");
        var latin1 = Field3("MSH|^~\\&|L|F|R|F|20260101||ORU^R01|1|P|2.5.1||||||8859/1\r" + Obx + "\r");

        var readings = new[] { (usual, "lab-a"), (usual, "lab-b"), (hashComponents, "lab-a"), (latin1, "lab-a") }
            .Select(x => Json(Hl7v2Codes.ToCodedValue(x.Item1, x.Item2, bareCodeIsText: false))).ToList();

        Assert.True(readings.Count == readings.Distinct().Count(), string.Join("\n", readings));
        Assert.Equal(Json(Hl7v2Codes.ReadCodedValue(hashComponents, "lab-a", false)), readings[2]);
        Assert.Equal(Json(Hl7v2Codes.ReadCodedValue(latin1, "lab-a", false)), readings[3]);
    }

    private static Hl7v2Element Field3(string text)
    {
        var message = Hl7v2Parser.Parse(Encoding.UTF8.GetBytes(text));
        Assert.True(message.TryGetSegment("OBX", out var obx));
        return obx.Field(3);
    }

    private static void AssertSame(CodedValue? expected, CodedValue? actual) => Assert.Equal(Json(expected), Json(actual));

    private static string Json(CodedValue? value) => JsonSerializer.Serialize(value);
}
