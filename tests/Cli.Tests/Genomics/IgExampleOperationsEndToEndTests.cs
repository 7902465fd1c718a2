using System.Net;
using System.Text.Json.Nodes;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Cli.Tests.CommandLine;
using PrecisionMed.Core.Genomics.Index;
using PrecisionMed.Core.Genomics.Operations;
using PrecisionMed.Core.Tests.Genomics.Operations;
using PrecisionMed.Testing.Stack;
using PrecisionMed.Testing.Validation;
using PrecisionMed.Validation;
using Xunit;

namespace PrecisionMed.Cli.Tests.Genomics;

/// <summary>
/// The IG's 18 example outputs end to end: for each, lab FHIR bundles carrying the example's findings (authored from the
/// scenario of tests/Core.Tests/Genomics/Operations, as the IG's example bundles shape such resources) are ingested with
/// <c>pmed ingest --fhir --cosmos</c>, and the operation is called over real HTTP (<c>pmed serve</c>) with the example's
/// inputs. A subject example's answer must say what the example says (presence, items, the variants and implications
/// returned, by the lab's finding ids; every returned resource valid against its profile). A population example runs on
/// its first six patients and its decoys (7,534 patients are the Core test's, in memory), all examples sharing one
/// index: its answer must equal the same question asked of an in-memory index holding exactly the reports ingested, to
/// the patient and count.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class IgExampleOperationsEndToEndTests(LocalStackFixture stack) : IDisposable
{
    private const int PopulationPatients = 6;

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pmed-ig-operations-");
    private readonly string _database = "pmed-cli-igops-" + Guid.NewGuid().ToString("N")[..10];

    private string[] Connection => ["--fhir", stack.Stack.FhirBaseUrl.ToString(), "--cosmos", stack.Stack.CosmosEndpoint.ToString(), "--cosmos-key", stack.Stack.CosmosKey, "--database", _database];

    [Fact]
    public async Task EveryExample_IngestedAsLabBundles_AnsweredOverHttpAsTheExample()
    {
        var ct = TestContext.Current.CancellationToken;
        var scenarios = IgExampleScenarios.Subject().Select(s => (s, false)).Concat(IgExampleScenarios.Population().Select(s => (s, true)))
            .Select((x, i) => Isolated(x.s, i, x.Item2)).ToList();
        Assert.Equal(18, scenarios.Count);

        // Every scenario's reports as lab bundles, ingested in one run (FHIR and the index, as the worker writes them).
        var files = Directory.CreateDirectory(Path.Combine(_work.FullName, "labs"));
        var n = 0;
        foreach (var report in scenarios.SelectMany(s => s.Reports))
            await File.WriteAllTextAsync(Path.Combine(files.FullName, $"report-{n++:D3}.json"), IgExampleLabBundles.Bundle(report, report.Patient).ToJsonString(), ct);
        var ingest = await Pmed.RunAsync(["ingest", files.FullName, "--out", Path.Combine(_work.FullName, "out"), "--lab", "ig-examples", .. Connection]);
        Assert.True(ingest.Exit == ExitCodes.Ok, ingest.ToString());

        var patients = await PatientsAsync(scenarios.SelectMany(s => s.Reports).Select(r => r.Patient).Distinct(), ct);
        var inMemory = new InMemoryGenomicIndex();
        foreach (var report in scenarios.SelectMany(s => s.Reports)) await inMemory.WriteAsync(report, ct);

        await using var server = await PmedServer.StartAsync(["--port", "0", "--storage", stack.Stack.AzuriteConnectionString, .. Connection]);
        var failures = new List<string>();
        foreach (var scenario in scenarios)
        {
            var query = string.Join('&', scenario.Query.Select(q => $"{q.Key}={Uri.EscapeDataString(q.Key == "subject" ? patients[q.Value] : q.Value)}"));
            using var response = await server.Http.GetAsync($"genomics/${scenario.Operation}?{query}", ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                failures.Add($"{scenario.Example}: HTTP {(int)response.StatusCode} {body[..Math.Min(300, body.Length)]}");
                continue;
            }

            var answer = JsonNode.Parse(body)!.AsObject();
            var ours = Comparable(answer, patients, scenario.Prefix);
            List<string> expected;
            if (scenario.ExpectedKeys is null)
            {
                var stated = IgExampleAnswers.Canonical(JsonNode.Parse(await File.ReadAllTextAsync(TestFiles("fhir/operations/" + scenario.Example), ct))!.AsObject());
                expected = [.. stated.Where(l => !l.EndsWith("subject=...", StringComparison.Ordinal))];
                ours = IgExampleAnswers.Comparable(ours, stated);
                failures.AddRange(Invalid(scenario.Example, answer));
            }
            else
            {
                var parse = OperationRequestParser.FromQuery(scenario.Operation, scenario.Query);
                var memory = await new GenomicsOperations(inMemory, new NoResources()).EvaluateAsync(parse.Request!, ct);
                expected = IgExampleAnswers.Canonical(memory.Parameters!);
            }

            (expected, ours) = (PatientsSorted(expected), PatientsSorted(ours));
            if (!expected.SequenceEqual(ours))
                failures.Add($"{scenario.Example}:\n  expected {string.Join(" ; ", expected)}\n  answered {string.Join(" ; ", ours)}");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        var run = await server.StopAsync();
        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
    }

    /// <summary>
    /// The scenario with patients and tests of its own (prefixed with its number), so that examples share one FHIR service
    /// and index without one's patients or accessions meeting another's; a population scenario cut to its first patients.
    /// </summary>
    private static Scenario Isolated(IgExampleScenario scenario, int number, bool population)
    {
        var prefix = $"s{number}-";
        var reports = scenario.Reports;
        if (population)
        {
            var kept = reports.Select(r => r.Patient).Distinct().Where(p => !p.Contains("decoy", StringComparison.Ordinal)).Take(PopulationPatients).ToHashSet();
            reports = [.. reports.Where(r => kept.Contains(r.Patient) || r.Patient.Contains("decoy", StringComparison.Ordinal))];
        }

        var isolated = reports.Select(r => r with
        {
            Patient = prefix + r.Patient.Replace('/', '-'),
            TestIds = [.. (r.TestIds.Count > 0 ? r.TestIds : [r.Report]).Select(t => prefix + t)],
        }).ToList();
        var query = scenario.Query.Select(q => q.Key == "subject" ? KeyValuePair.Create(q.Key, prefix + q.Value.Replace('/', '-')) : q).ToList();
        return new Scenario(scenario.Example, scenario.Operation, query, isolated, scenario.ExpectedKeys, prefix);
    }

    /// <summary>
    /// Our answer's lines with the pipeline's ids put back as the lab gave them: a resource by its finding identifier, a
    /// patient by the scenario's name for it, a test id without the scenario's prefix.
    /// </summary>
    private static List<string> Comparable(JsonObject answer, Dictionary<string, string> patients, string prefix)
    {
        var byServerId = patients.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
        var findings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in Resources(answer))
        {
            var identifier = (resource["identifier"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(i => (string?)i["system"] == IgExampleLabBundles.FindingSystem);
            if (identifier is not null) findings[$"{resource["resourceType"]}/{resource["id"]}"] = $"{resource["resourceType"]}/{identifier["value"]}";
        }

        return [.. IgExampleAnswers.Canonical(answer).Select(line =>
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0) return line;
            var (name, value) = (line[..equals], line[(equals + 1)..]);
            if (findings.TryGetValue(value, out var finding)) return $"{name}={finding}";
            if (byServerId.TryGetValue(value, out var patient)) return $"{name}={patient}";
            return name.EndsWith("testId", StringComparison.Ordinal) && value.StartsWith(prefix, StringComparison.Ordinal) ? $"{name}={value[prefix.Length..]}" : line;
        })];
    }

    /// <summary>Each patient list in name order: the service lists patients by their ids there, which the lab did not choose.</summary>
    private static List<string> PatientsSorted(List<string> lines)
    {
        var sorted = new List<string>(lines.Count);
        for (var i = 0; i < lines.Count;)
        {
            var run = lines.Skip(i).TakeWhile(l => l.Contains("/subject=", StringComparison.Ordinal)).ToList();
            if (run.Count == 0) sorted.Add(lines[i++]);
            else
            {
                sorted.AddRange(run.Order(StringComparer.Ordinal));
                i += run.Count;
            }
        }

        return sorted;
    }

    private static IEnumerable<JsonObject> Resources(JsonNode? node) => node switch
    {
        JsonObject o when o["resource"] is JsonObject r => [r, .. Resources(o["part"])],
        JsonObject o => Resources(o["parameter"]).Concat(Resources(o["part"])),
        JsonArray a => a.SelectMany(Resources),
        _ => [],
    };

    private static IEnumerable<string> Invalid(string example, JsonObject answer) =>
        Resources(answer).SelectMany(r => FhirProfileValidator.Shared.Validate(r.ToJsonString()).Errors.Select(e => $"{example}: {r["resourceType"]}/{r["id"]}: {e}"));

    /// <summary>Each scenario patient's Patient reference in the FHIR service (found by the identifier its bundles carried).</summary>
    private async Task<Dictionary<string, string>> PatientsAsync(IEnumerable<string> names, CancellationToken ct)
    {
        using var fhir = stack.Stack.CreateFhirHttpClient();
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var bundle = JsonNode.Parse(await fhir.GetStringAsync($"Patient?identifier={Uri.EscapeDataString(IgExampleLabBundles.PatientSystem + "|" + name)}", ct))!;
            var id = (string?)bundle["entry"]?[0]?["resource"]?["id"];
            Assert.True(id is not null, $"no Patient in FHIR for the scenario patient {name}");
            found[name] = "Patient/" + id;
        }

        return found;
    }

    private static string TestFiles(string relative) => Path.Combine(RepositoryPaths.Root, "tests", "TestData", relative);

    public void Dispose() => _work.Delete(recursive: true);

    private sealed record Scenario(
        string Example, string Operation, IReadOnlyList<KeyValuePair<string, string>> Query, IReadOnlyList<IndexedReport> Reports,
        IReadOnlyList<PopulationKey>? ExpectedKeys, string Prefix);

    private sealed class NoResources : IFhirResourceSource
    {
        public Task<JsonObject?> ReadAsync(string reference, CancellationToken cancellationToken) => Task.FromResult<JsonObject?>(null);
    }
}
