using System.Text.Json.Nodes;
using PrecisionMed.Core.Genomics.Index;
using PrecisionMed.Core.Genomics.Operations;

namespace PrecisionMed.Core.Tests.Genomics.Operations;

/// <summary>
/// The IG's 18 example outputs, each produced by its operation from an index holding the example's findings: the same
/// parameters, parts, items, presence, counts and returned resources (by id), reading only the partitions it should.
/// Where an example elides patients ("...") or omits the optional denominator, only what it states is compared.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class IgExampleOutputTests
{
    public static TheoryData<string> Examples => new(All().Select(s => s.Example).ToArray());

    private static IEnumerable<IgExampleScenario> All() => IgExampleScenarios.Subject().Concat(IgExampleScenarios.Population());

    [Fact]
    public void Scenarios_CoverEveryExampleOutput()
    {
        var files = Directory.GetFiles(TestFiles.PathOf("fhir/operations"), "Parameters-Find*Output.json").Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(18, files.Count());
        Assert.Equal(files, All().Select(s => s.Example).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Evaluate_ExampleInputs_AnswerAsTheExample(string example)
    {
        var scenario = All().Single(s => s.Example == example);
        var expected = JsonNode.Parse(File.ReadAllText(TestFiles.PathOf("fhir/operations/" + example)))!.AsObject();
        var index = new CountingGenomicIndex(new InMemoryGenomicIndex());
        foreach (var report in scenario.Reports) await index.WriteAsync(report, TestContext.Current.CancellationToken);
        var source = new ExampleResources(expected);

        var parse = OperationRequestParser.FromQuery(scenario.Operation, scenario.Query);
        Assert.Null(parse.Error);
        var result = await new GenomicsOperations(index, source).EvaluateAsync(parse.Request!, TestContext.Current.CancellationToken);

        Assert.Null(result.Error);
        var stated = IgExampleAnswers.Canonical(expected);
        Assert.Equal(stated.Where(l => !l.EndsWith("subject=...", StringComparison.Ordinal)), IgExampleAnswers.Comparable(IgExampleAnswers.Canonical(result.Parameters!), stated));
        if (scenario.ExpectedKeys is { } keys)
        {
            Assert.Empty(index.SubjectReads);
            Assert.Equal(keys.Select(k => k.Value).Order(StringComparer.Ordinal), index.PopulationReads.Select(k => k.Value).Order(StringComparer.Ordinal));
            Assert.Equal(1, index.CountReads);
        }
        else
        {
            Assert.Equal([IgExampleScenario.Subject], index.SubjectReads);
            Assert.Empty(index.PopulationReads);
            Assert.Equal(source.Reads.Order(), IgExampleAnswers.Canonical(result.Parameters!).Where(l => l.Contains("=Observation/", StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]).Distinct().Order());
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Evaluate_ExampleInputsAsParametersBody_SameAnswerAsTheQueryString(string example)
    {
        var scenario = All().Single(s => s.Example == example);
        var index = new InMemoryGenomicIndex();
        foreach (var report in scenario.Reports) await index.WriteAsync(report, TestContext.Current.CancellationToken);
        var operations = new GenomicsOperations(index, new ExampleResources(JsonNode.Parse(File.ReadAllText(TestFiles.PathOf("fhir/operations/" + example)))!.AsObject()));
        var dates = scenario.Query.Where(p => p.Key == "testDateRange").Select(p => p.Value).ToList();
        var body = new JsonArray([.. scenario.Query.Where(p => p.Key != "testDateRange").Select(p => (JsonNode)(p.Key.StartsWith("include", StringComparison.Ordinal)
            ? new JsonObject { ["name"] = p.Key, ["valueBoolean"] = p.Value == "true" }
            : new JsonObject { ["name"] = p.Key, ["valueString"] = p.Value }))]);
        if (dates.Count > 0)
        {
            body.Add(new JsonObject
            {
                ["name"] = "testDateRange",
                ["valuePeriod"] = new JsonObject { ["start"] = dates.Single(d => d.StartsWith("ge", StringComparison.Ordinal))[2..], ["end"] = dates.Single(d => d.StartsWith("le", StringComparison.Ordinal))[2..] },
            });
        }

        var fromBody = OperationRequestParser.FromParameters(scenario.Operation, new JsonObject { ["resourceType"] = "Parameters", ["parameter"] = body });
        var fromQuery = OperationRequestParser.FromQuery(scenario.Operation, scenario.Query);

        Assert.Null(fromBody.Error);
        var viaBody = await operations.EvaluateAsync(fromBody.Request!, TestContext.Current.CancellationToken);
        var viaQuery = await operations.EvaluateAsync(fromQuery.Request!, TestContext.Current.CancellationToken);
        Assert.Equal(viaQuery.Parameters!.ToJsonString(), viaBody.Parameters!.ToJsonString());
    }

    /// <summary>The FHIR service as the example shows it: the resources the example returns, by reference.</summary>
    private sealed class ExampleResources(JsonObject example) : IFhirResourceSource
    {
        public List<string> Reads { get; } = [];

        public Task<JsonObject?> ReadAsync(string reference, CancellationToken cancellationToken)
        {
            Reads.Add(reference);
            return Task.FromResult(Find(example["parameter"] as JsonArray, reference));
        }

        private static JsonObject? Find(JsonArray? items, string reference)
        {
            foreach (var item in (items ?? []).OfType<JsonObject>())
            {
                if (item["resource"] is JsonObject r && $"{r["resourceType"]}/{r["id"]}" == reference) return r;
                if (Find(item["part"] as JsonArray, reference) is { } found) return found;
            }

            return null;
        }
    }
}
