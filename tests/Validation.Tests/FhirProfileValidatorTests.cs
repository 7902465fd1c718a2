using PrecisionMed.Testing.Validation;
using Xunit;

namespace PrecisionMed.Validation.Tests;

[Trait("Tier", "Fast")]
public sealed class FhirProfileValidatorTests
{
    private const string VariantProfile = "http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/variant";

    private static FhirProfileValidator Validator => FhirProfileValidator.Shared;

    [Fact]
    public void Validate_MinimalObservation_IsValid()
    {
        var report = Validator.Validate("""{"resourceType":"Observation","status":"final","code":{"text":"a finding"}}""");

        Assert.True(report.IsValid, report.ToString());
    }

    [Fact]
    public void Validate_ObservationWithoutStatus_ReportsTheMissingStatus()
    {
        var report = Validator.Validate("""{"resourceType":"Observation","code":{"text":"a finding"}}""");

        Assert.False(report.IsValid);
        Assert.Contains(report.Errors, e => e.Contains("status", StringComparison.Ordinal) && e.Contains("Missing required member", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_VariantInMetaProfileWithWrongCode_ReportsTheVariantPattern()
    {
        var report = Validator.Validate(Variant(code: "12345-6"));

        Assert.False(report.IsValid);
        var error = Assert.Single(report.Errors);
        Assert.StartsWith("Observation.code[0]: Value ", error, StringComparison.Ordinal);
        Assert.Contains("does not match pattern", error, StringComparison.Ordinal);
        Assert.Contains("69548-6", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_VariantInMetaProfileWithoutCode_ReportsTheMissingCode()
    {
        var report = Validator.Validate(Variant(code: null));

        Assert.False(report.IsValid);
        Assert.Contains(report.Errors, e => e.Contains("'code'", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_WellFormedVariant_IsValidWithOnlyOfflineTerminologyWarnings()
    {
        var report = Validator.Validate(Variant(code: "69548-6"));

        Assert.True(report.IsValid, report.ToString());
        Assert.Contains(report.Warnings, w => w.Contains("'http://loinc.org/vs/LL1971-2' is unknown", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ExplicitProfile_AppliesItWithoutMetaProfile()
    {
        const string Plain = """{"resourceType":"Observation","status":"final","code":{"text":"a finding"}}""";

        var report = Validator.Validate(Plain, VariantProfile);

        Assert.False(report.IsValid);
        Assert.Contains(report.Errors, e => e.Contains("category:geCategory", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"resourceType":"Observation","status":"final","code":{"text":"x"}""")]
    [InlineData("""[1, 2]""")]
    [InlineData("")]
    [InlineData("""{"status":"final"}""")]
    [InlineData("""{"resourceType":"NoSuchType","id":"x"}""")]
    [InlineData("""{"resourceType":"Observation","status":"final","code":{"coding":"not-an-array"}}""")]
    [InlineData("""{"resourceType":"Observation","status":["final"],"code":{"text":"x"}}""")]
    public void Validate_MalformedJson_ReportsAnErrorInsteadOfThrowing(string json)
    {
        var report = Validator.Validate(json);

        Assert.False(report.IsValid);
        Assert.All(report.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e)));
    }

    [Fact]
    public void Validate_UnknownElement_ReportsItWithItsLocation()
    {
        var report = Validator.Validate("""{"resourceType":"Observation","status":"final","code":{"text":"x"},"bogus":1}""");

        Assert.Contains(report.Errors, e => e.StartsWith("Observation.bogus (line 1, column ", StringComparison.Ordinal));
    }

    [Fact]
    public void Create_EmptyFolder_ThrowsNamingEachMissingPackage()
    {
        var folder = Directory.CreateTempSubdirectory("fhir-packages-").FullName;
        try
        {
            var ex = Assert.Throws<FhirPackagesMissingException>(() => FhirProfileValidator.Create(folder));

            Assert.Contains(folder, ex.Message, StringComparison.Ordinal);
            Assert.Contains("hl7.fhir.uv.genomics-reporting@3.0.0, hl7.fhir.uv.extensions.r4@5.3.0-ballot-tc1, hl7.terminology.r4@7.0.1", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Variant(string? code)
    {
        var codeJson = code is null ? "" : $$$""","code":{"coding":[{"system":"http://loinc.org","code":"{{{code}}}"}]}""";
        return $$$"""
            {"resourceType":"Observation","meta":{"profile":["{{{VariantProfile}}}"]},"status":"final",
             "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]},
                         {"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0074","code":"GE"}]}]{{{codeJson}}},
             "subject":{"reference":"Patient/p1"},
             "valueCodeableConcept":{"coding":[{"system":"http://loinc.org","code":"LA9633-4","display":"Present"}]}}
            """;
    }
}
