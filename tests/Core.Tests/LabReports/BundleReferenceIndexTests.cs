using System.Text.Json.Nodes;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Tests.LabReports;

/// <summary>
/// Whether a reference is to a resource the bundle holds: relative <c>Type/id</c> and <c>urn:uuid:</c> full URLs as the IG
/// examples write them, an absolute URL only as an entry's fullUrl (or its RESTful base and the entry's Type/id).
/// </summary>
[Trait("Tier", "Fast")]
public sealed class BundleReferenceIndexTests
{
    private static readonly LabBundle Bundle = new("collection", null,
    [
        Entry(0, "http://example.org/fhir/Patient/p1", "Patient", "p1"),
        Entry(1, "urn:uuid:0d9f2b56-8f0e-4c2a-9a53-6f3c2a1b7e10", "Group", "g1"),
        Entry(2, "http://example.org/fhir/Device/d1/_history/3", "Device", "d1"),
    ]);

    [Theory]
    [InlineData("Patient/p1", 0)]
    [InlineData("http://example.org/fhir/Patient/p1", 0)]
    [InlineData("http://example.org/fhir/Patient/p1/_history/2", 0)]
    [InlineData("urn:uuid:0d9f2b56-8f0e-4c2a-9a53-6f3c2a1b7e10", 1)]
    [InlineData("Group/g1", 1)]
    [InlineData("http://example.org/fhir/Device/d1", 2)]
    [InlineData("http://example.org/fhir/Device/d1/_history/3", 2)]
    public void ResolveInBundle_AnEntrysReference_IsThatEntry(string reference, int expected) =>
        Assert.Equal(expected, new BundleReferenceIndex(Bundle).ResolveInBundle(reference));

    [Theory]
    [InlineData("https://other-ehr.example/fhir/Patient/p1")]
    [InlineData("http://example.org/fhir-other/Patient/p1")]
    [InlineData("https://example.org/fhir/Patient/p1")]
    [InlineData("http://example.org/Patient/p1")]
    [InlineData("urn:uuid:11111111-8f0e-4c2a-9a53-6f3c2a1b7e10")]
    [InlineData("Patient/p2")]
    [InlineData("#p1")]
    public void ResolveInBundle_TheSameIdElsewhere_IsOutsideTheBundle(string reference) =>
        Assert.Null(new BundleReferenceIndex(Bundle).ResolveInBundle(reference));

    private static LabBundleEntry Entry(int index, string fullUrl, string type, string id) =>
        new(index, fullUrl, type, id, new JsonObject { ["resourceType"] = type, ["id"] = id });
}
