using System.Text.Json.Nodes;
using PrecisionMed.Core.Pipeline.Review;

namespace PrecisionMed.Core.Tests.Pipeline;

[Trait("Tier", "Fast")]
public sealed class PatientDemographicsTests
{
    [Theory]
    [InlineData("1980-02-02", "1980-02-02", false)]
    [InlineData("1980", "1980-02-02", false)]
    [InlineData("1980-02", "1980-02-28", false)]
    [InlineData("1981", "1980-02-02", true)]
    [InlineData("1980-03", "1980-02-02", true)]
    [InlineData("1980-02-03", "1980-02-02", true)]
    [InlineData(null, "1980-02-02", false)]
    [InlineData("1980-02-02", null, false)]
    public void BirthDatesDisagree_ComparedToThePrecisionBothHave(string? reported, string? existing, bool disagree) =>
        Assert.Equal(disagree, PatientDemographics.BirthDatesDisagree(reported, existing));

    [Fact]
    public void Disagreements_FamilyNameTrimmedAnyCaseAndAnyOfTheEmrsNames_Agree()
    {
        var reported = Patient(family: " smith ");
        var existing = JsonNode.Parse("""{"name":[{"family":"Jones","use":"official"},{"family":"Smith","use":"maiden"}]}""")!.AsObject();

        Assert.Empty(PatientDemographics.Disagreements(reported, existing));
        Assert.Equal([PatientDemographics.FamilyName], PatientDemographics.Disagreements(Patient(family: "Brown"), existing));
    }

    [Theory]
    [InlineData("male", "female", true)]
    [InlineData("Male", "male", false)]
    [InlineData("unknown", "female", false)]
    [InlineData("male", "unknown", false)]
    [InlineData(null, "female", false)]
    public void Disagreements_Sex_UnknownOrMissingIsNoDisagreement(string? reported, string? existing, bool disagree) =>
        Assert.Equal(disagree, PatientDemographics.Disagreements(Patient(gender: reported), Patient(gender: existing)).Count == 1);

    [Fact]
    public void Disagreements_AllThree_NamedInFixedOrderWithoutValues()
    {
        var fields = PatientDemographics.Disagreements(Patient("A", "2000-01-01", "male"), Patient("B", "1999-01-01", "female"));

        Assert.Equal([PatientDemographics.FamilyName, PatientDemographics.BirthDate, PatientDemographics.Sex], fields);
        Assert.Equal(
            "held for review: the patient identifier matches an existing Patient whose name.family, birthDate, gender disagree with the report",
            HeldReport.ReasonFor(fields));
    }

    private static JsonObject Patient(string? family = null, string? birthDate = null, string? gender = null)
    {
        var patient = new JsonObject { ["resourceType"] = "Patient" };
        if (family is not null) patient["name"] = new JsonArray(new JsonObject { ["family"] = family });
        if (birthDate is not null) patient["birthDate"] = birthDate;
        if (gender is not null) patient["gender"] = gender;
        return patient;
    }
}
