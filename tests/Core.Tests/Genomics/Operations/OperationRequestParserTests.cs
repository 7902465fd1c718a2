using System.Text.Json.Nodes;
using PrecisionMed.Core.Genomics.Operations;

namespace PrecisionMed.Core.Tests.Genomics.Operations;

[Trait("Tier", "Fast")]
public sealed class OperationRequestParserTests
{
    private static KeyValuePair<string, string> Q(string name, string value) => new(name, value);

    private static OperationError ErrorOf(string operation, params KeyValuePair<string, string>[] query)
    {
        var parse = OperationRequestParser.FromQuery(operation, query);
        Assert.Null(parse.Request);
        return parse.Error!;
    }

    [Fact]
    public void Definitions_All17Load_EachRoutableByItsId()
    {
        var ids = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "TestData", "fhir", "operations"), "*.json").Length;

        Assert.Equal(18, ids);
        Assert.Equal(17, OperationDefinitions.All.Count);
        foreach (var (id, definition) in OperationDefinitions.All)
        {
            Assert.StartsWith("find-", id, StringComparison.Ordinal);
            Assert.NotEmpty(definition.Inputs);
            Assert.Same(definition, OperationDefinitions.Find("$" + id));
            var parse = OperationRequestParser.FromQuery(id, []);
            Assert.True(parse.Error is null || parse.Error.Kind == OperationErrorKind.Required, id);
        }
    }

    [Fact]
    public void FromQuery_UnknownOperation_404()
    {
        var error = ErrorOf("match", Q("subject", "Patient/1"));

        Assert.Equal(OperationErrorKind.UnknownOperation, error.Kind);
        Assert.Equal(404, error.StatusCode);
    }

    [Fact]
    public void FromQuery_RepeatedNames_EachValueParsed()
    {
        var parse = OperationRequestParser.FromQuery("find-subject-variants",
            [Q("subject", "123"), Q("ranges", "NC_000019.9:11200138-11244496"), Q("ranges", "NC_000007.14:1-2"), Q("includeVariants", "true"), Q("_format", "json")]);

        var request = parse.Request!;
        Assert.Equal("Patient/123", request.Subject);
        Assert.Equal(["NC_000019.9:11200138-11244496", "NC_000007.14:1-2"], request.Ranges.Select(r => r.Text));
        Assert.True(request.IncludeVariants);
    }

    [Fact]
    public void FromQuery_CommaSeparatedList_SameAsTheNameRepeated()
    {
        // As the IG's operations page gives an OR list, and as its reference implementation's tests send one (", ").
        var listed = OperationRequestParser.FromQuery("find-population-specific-variants",
            [Q("variants", "NC_000001.10:144931726:G:A, NC_000001.10:145532548:T:C,NC_000001.10:145592072:A:T")]).Request!;
        var repeated = OperationRequestParser.FromQuery("find-population-specific-variants",
            [Q("variants", "NC_000001.10:144931726:G:A"), Q("variants", "NC_000001.10:145532548:T:C"), Q("variants", "NC_000001.10:145592072:A:T")]).Request!;

        Assert.Equal(["NC_000001.10:144931726:G:A", "NC_000001.10:145532548:T:C", "NC_000001.10:145592072:A:T"], listed.Variants.Select(v => v.Text));
        Assert.Equal(repeated.Variants.Select(v => v.Text), listed.Variants.Select(v => v.Text));
    }

    [Fact]
    public void FromQuery_EscapedComma_StaysInTheValue_AndSingleValuedParametersAreNotSplit()
    {
        var request = OperationRequestParser.FromQuery("find-subject-variants",
            [Q("subject", "Patient/1"), Q("ranges", "NC_000019.9:11200138-11244496"), Q("testIdentifiers", @"ACC\,1,ACC2")]).Request!;

        Assert.Equal(["ACC,1", "ACC2"], request.TestIdentifiers);
        Assert.Equal(OperationErrorKind.Invalid, ErrorOf("find-subject-variants", Q("subject", "Patient/1,Patient/2"), Q("ranges", "NC_000019.9:1-2")).Kind);
    }

    [Theory]
    [InlineData("NC_000019.9:1-2,,NC_000019.9:3-4")]
    [InlineData("NC_000019.9:1-2,")]
    [InlineData(",NC_000019.9:1-2")]
    public void FromQuery_EmptyItemInCommaList_400NamingTheParameter(string ranges)
    {
        var error = ErrorOf("find-subject-variants", Q("subject", "Patient/1"), Q("ranges", ranges));

        Assert.Equal((OperationErrorKind.Invalid, "ranges"), (error.Kind, error.Parameter));
        Assert.Contains("empty item", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("find-subject-variants", "subject", null, OperationErrorKind.Required)]
    [InlineData("find-subject-variants", "ranges", null, OperationErrorKind.Required)]
    [InlineData("find-population-specific-variants", "variants", "NC_000001.10:g.1delinsX", OperationErrorKind.Invalid)]
    [InlineData("find-population-specific-variants", "includePatientList", "yes", OperationErrorKind.Invalid)]
    [InlineData("find-population-specific-variants", "genomicSourceClass", "maternal", OperationErrorKind.Invalid)]
    [InlineData("find-population-specific-variants", "subject", "Patient/1", OperationErrorKind.Invalid)]
    [InlineData("find-subject-haplotypes", "genes", "CYP2C19 *2", OperationErrorKind.Invalid)]
    [InlineData("find-subject-haplotypes", "testDateRange", "after2020", OperationErrorKind.Invalid)]
    public void FromQuery_BadInput_ErrorNamesParameter_AnswerQuotesNoValue(string operation, string parameter, string? value, OperationErrorKind kind)
    {
        KeyValuePair<string, string>[] valid = operation switch
        {
            "find-subject-variants" => [Q("subject", "Patient/1"), Q("ranges", "NC_000007.14:1-2")],
            "find-subject-haplotypes" => [Q("subject", "Patient/1"), Q("genes", "CYP2C19")],
            _ => [Q("variants", "NC_000001.10:1:A:G")],
        };
        var query = value is null ? valid.Where(p => p.Key != parameter) : valid.Where(p => p.Key != parameter).Append(Q(parameter, value));

        var error = ErrorOf(operation, [.. query]);

        Assert.Equal(kind, error.Kind);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal(parameter, error.Parameter);
        Assert.Equal(value, error.Value);
        var issue = error.ToOperationOutcome()["issue"]![0]!;
        Assert.Equal(kind == OperationErrorKind.Required ? "required" : "invalid", issue["code"]!.GetValue<string>());
        Assert.Equal(parameter, issue["expression"]![0]!.GetValue<string>());
        // The value stays in the error for the code; the caller's answer quotes only the parameter's name (a value may be PHI).
        Assert.StartsWith($"Parameter '{parameter}': ", issue["diagnostics"]!.GetValue<string>(), StringComparison.Ordinal);
        if (value is not null) Assert.DoesNotContain(value, issue["diagnostics"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void FromQuery_SingleParameterRepeated_CardinalityError()
    {
        var error = ErrorOf("find-subject-variants", Q("subject", "Patient/1"), Q("subject", "Patient/2"), Q("ranges", "NC_000007.14:1-2"));

        Assert.Equal(("subject", OperationErrorKind.Invalid), (error.Parameter, error.Kind));
        Assert.DoesNotContain("Patient/", error.ToOperationOutcome().ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void FromParameters_TypedValues_Parsed()
    {
        var body = JsonNode.Parse("""
            {"resourceType":"Parameters","parameter":[
              {"name":"subject","valueString":"Patient/p1"},
              {"name":"variants","valueString":"NC_000010.10:g.121551307G>A AND NC_000001.10:198742262:G:A"},
              {"name":"testDateRange","valuePeriod":{"start":"2020-01-01","end":"2020-12-31"}},
              {"name":"genomicSourceClass","valueCode":"somatic"}]}
            """)!.AsObject();

        var request = OperationRequestParser.FromParameters("find-subject-specific-variants", body).Request!;

        Assert.Equal("Patient/p1", request.Subject);
        Assert.Equal(2, request.Variants[0].AllOf.Count);
        Assert.True(request.TestDateRange!.Contains("2020-07-13"));
        Assert.False(request.TestDateRange.Contains("2021-01-01"));
        Assert.Equal("LA6684-0", request.GenomicSourceClass);
    }

    [Theory]
    [InlineData("""{"name":"includePatientList","valueString":"true"}""", "includePatientList")]
    [InlineData("""{"name":"variants","valueBoolean":true}""", "variants")]
    [InlineData("""{"name":"variants"}""", "variants")]
    public void FromParameters_WrongValueType_Invalid(string parameter, string name)
    {
        var body = JsonNode.Parse($$"""{"resourceType":"Parameters","parameter":[{"name":"variants","valueString":"NC_000001.10:1:A:G"},{{parameter}}]}""")!.AsObject();

        var error = OperationRequestParser.FromParameters("find-population-specific-variants", body).Error!;

        Assert.Equal((OperationErrorKind.Invalid, name), (error.Kind, error.Parameter));
    }

    [Fact]
    public void FromParameters_NotParameters_Invalid()
    {
        var error = OperationRequestParser.FromParameters("find-population-specific-variants", new JsonObject { ["resourceType"] = "Patient" }).Error!;

        Assert.Equal(OperationErrorKind.Invalid, error.Kind);
    }
}
