using PrecisionMed.Testing.Validation;
using Xunit;

namespace PrecisionMed.Validation.Tests;

[Trait("Tier", "Fast")]
public sealed class BundleValidationTests
{
    private const string Bundle = """
        {"resourceType":"Bundle","type":"collection","entry":[
          {"fullUrl":"urn:uuid:0b5a5b3e-0000-4000-8000-000000000001",
           "resource":{"resourceType":"Patient","id":"p1"}},
          {"fullUrl":"http://example.org/fhir/Specimen/s1",
           "resource":{"resourceType":"Specimen","id":"s1","subject":{"reference":"Patient/p1"}}},
          {"fullUrl":"urn:uuid:0b5a5b3e-0000-4000-8000-000000000002",
           "resource":{"resourceType":"Observation","id":"o1","status":"final","code":{"text":"x"},
             "contained":[{"resourceType":"Device","id":"kit"}],
             "subject":{"reference":"urn:uuid:0b5a5b3e-0000-4000-8000-000000000001"},
             "specimen":{"reference":"http://example.org/fhir/Specimen/s1"},
             "device":{"reference":"#kit"},
             "focus":[{"reference":"Patient/p1/_history/2"}],
             "hasMember":[{"reference":"Observation/missing"},
                          {"reference":"urn:uuid:0b5a5b3e-0000-4000-8000-00000000dead"},
                          {"reference":"http://other.example.org/fhir/Observation/elsewhere"}],
             "derivedFrom":[{"reference":"#nothing-contained-here"},{"reference":"Observation?identifier=abc"}]}}]}
        """;

    [Fact]
    public void CheckReferences_DanglingReferences_AreReported()
    {
        var report = BundleValidation.CheckReferences(Bundle);

        Assert.Equal(
            [
                "Observation/o1 Observation.hasMember[0].reference: 'Observation/missing' matches no entry's resource type and id",
                "Observation/o1 Observation.hasMember[1].reference: 'urn:uuid:0b5a5b3e-0000-4000-8000-00000000dead' matches no entry's fullUrl",
                "Observation/o1 Observation.derivedFrom[0].reference: '#nothing-contained-here' matches no contained resource",
            ],
            report.UnresolvedReferences.Select(r => r.ToString()));
        Assert.False(report.IsValid);
    }

    [Fact]
    public void CheckReferences_ReferencesLeavingTheBundle_AreListedSeparately()
    {
        var report = BundleValidation.CheckReferences(Bundle);

        Assert.Equal(
            [
                "Observation/o1 Observation.hasMember[2].reference: 'http://other.example.org/fhir/Observation/elsewhere'",
                "Observation/o1 Observation.derivedFrom[1].reference: 'Observation?identifier=abc'",
            ],
            report.ExternalReferences.Select(r => r.ToString()));
    }

    [Fact]
    public void Validate_Bundle_ReportsEachEntryOnItsOwn()
    {
        var report = BundleValidation.Validate(Bundle);

        Assert.Equal(["Patient/p1", "Specimen/s1", "Observation/o1"], report.Entries.Select(e => e.Key));
        Assert.Equal("urn:uuid:0b5a5b3e-0000-4000-8000-000000000002", report.Entries[2].FullUrl);
        Assert.True(report["Patient/p1"].IsValid, report["Patient/p1"].ToString());
        // Validated alone, the Observation's "#nothing-contained-here" also breaks the core invariant ref-1.
        Assert.Contains(report["Observation/o1"].Errors, e => e.Contains("ref-1", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_EntryWithDefect_IsReportedUnderItsKey()
    {
        const string Json = """
            {"resourceType":"Bundle","type":"collection","entry":[
              {"resource":{"resourceType":"Observation","id":"no-status","code":{"text":"x"}}},
              {"resource":{"resourceType":"Observation","id":"fine","status":"final","code":{"text":"x"}}}]}
            """;

        var report = BundleValidation.Validate(Json);

        Assert.False(report["Observation/no-status"].IsValid);
        Assert.True(report["Observation/fine"].IsValid, report["Observation/fine"].ToString());
        Assert.All(report.EntryErrors, e => Assert.StartsWith("Observation/no-status ", e, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"resourceType":"Bundle","entry":[""")]
    [InlineData("""{"resourceType":"Patient"}""")]
    [InlineData("""{"resourceType":"Bundle","entry":{}}""")]
    [InlineData("""{"resourceType":"Bundle","entry":[1]}""")]
    public void Validate_MalformedBundle_ReportsABundleError(string json)
    {
        var report = BundleValidation.Validate(json);

        Assert.NotEmpty(report.BundleErrors);
        Assert.False(report.IsValid);
    }
}
