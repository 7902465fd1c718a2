using System.Security.Cryptography;
using System.Text.Json.Nodes;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Functions.Tests.Hosting;
using PrecisionMed.Testing.Stack;
using PrecisionMed.Testing.Validation;
using PrecisionMed.Validation;

namespace PrecisionMed.Functions.Tests.EndToEnd;

/// <summary>
/// Real lab bundles (the Genomics IG's own examples) through every stage, against Azurite, the
/// Cosmos DB emulator server and the FHIR dev server: blob arrives, units queued, units processed,
/// FHIR written, ledger Completed, original archived; dropped again, nothing changes.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class FhirBundleEndToEndTests(LocalStackFixture stack)
{
    private const string LabId = "lab-a";

    public static TheoryData<string> IgExamples() =>
        new(Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "TestData", "fhir", "ig-examples"), "*.json")
            .Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(IgExamples))]
    public async Task IgExampleBundle_ThroughThePipeline_IsWrittenOnceValidAndArchived(string fileName)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(stack.Stack);
        var content = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "fhir", "ig-examples", fileName), ct);
        var fileId = LabFileIds.For(LabId, Convert.ToHexStringLower(SHA256.HashData(content)));

        await host.UploadAsync(LabId, fileName, content, ct);
        await host.ArriveAsync(LabId, fileName, ct);
        var processed = await host.DrainWorkQueueAsync(ct);

        var file = await host.Ledger.FindFileAsync(fileId, ct);
        Assert.NotNull(file);
        Assert.Equal(FileState.Completed, file.State);
        Assert.Equal(file.UnitCount, processed.Count);
        Assert.False(await host.ExistsAsync(LabFileAreas.Incoming, $"{LabId}/{fileName}", ct));
        Assert.Equal(content, await host.ReadBlobAsync(LabFileAreas.Archive, Originals.Archived(LabId, content, fileName), ct));

        var units = await host.Ledger.ListUnitsAsync(fileId, ct);
        Assert.All(units, u => Assert.Equal(UnitState.Completed, u.State));
        var references = units.SelectMany(u => u.ResourceReferences).ToList();
        Assert.Equal(references.Count, references.Distinct(StringComparer.Ordinal).Count());

        // Every owned resource is on the server, every reference in it resolves (except the lab's own
        // references to things outside its bundle, which we pass on untouched), and it validates.
        var input = System.Text.Encoding.UTF8.GetString(content);
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        var writtenErrors = new List<string>();
        foreach (var reference in references)
        {
            var resource = await ReadAsync(host, reference, ct);
            versions[reference] = resource["meta"]!["versionId"]!.GetValue<string>();
            foreach (var target in LiteralReferences(resource).Where(t => !input.Contains($"\"{t}\"", StringComparison.Ordinal)))
            {
                if (!await ExistsOnServerAsync(host, target, ct)) problems.Add($"{reference} -> {target} does not resolve");
            }

            writtenErrors.AddRange(FhirProfileValidator.Shared.Validate(resource.ToJsonString()).Errors);
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));

        // Validation: the pipeline adds no error of its own. The only errors the lab's resources have are
        // in narratives (some IG examples' narratives break the XHTML schema, see Validation.Tests): a
        // generated one is dropped when its resource is re-identified, one the lab wrote is passed on as sent.
        var inputErrors = InputResources(input)
            .SelectMany(r => FhirProfileValidator.Shared.Validate(r).Errors).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(inputErrors.Where(e => e.Contains(".text[0].div[0]:", StringComparison.Ordinal)), inputErrors);
        var added = writtenErrors.Where(e => !inputErrors.Contains(e, StringComparer.Ordinal)).ToList();
        Assert.True(added.Count == 0, string.Join(Environment.NewLine, added));
        Assert.Contains(references, r => r.StartsWith("Provenance/", StringComparison.Ordinal));

        // The same file dropped again: recognised by its hash, archived again, nothing rewritten.
        await host.UploadAsync(LabId, fileName, content, ct);
        await host.ArriveAsync(LabId, fileName, ct);
        Assert.Empty(await host.DrainWorkQueueAsync(ct));
        Assert.False(await host.ExistsAsync(LabFileAreas.Incoming, $"{LabId}/{fileName}", ct));
        Assert.Equal(1, (await host.Ledger.FindFileAsync(fileId, ct))!.DuplicateCount);
        foreach (var (reference, version) in versions)
            Assert.Equal(version, (await ReadAsync(host, reference, ct))["meta"]!["versionId"]!.GetValue<string>());
    }

    private static IEnumerable<string> InputResources(string bundle) =>
        JsonNode.Parse(bundle)!["entry"]!.AsArray().Select(e => e!["resource"]!.ToJsonString());

    private static async Task<JsonObject> ReadAsync(PipelineHost host, string reference, CancellationToken ct)
    {
        using var response = await host.Fhir.GetAsync(reference, ct);
        Assert.True(response.IsSuccessStatusCode, $"GET {reference}: HTTP {(int)response.StatusCode}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!.AsObject();
    }

    private static async Task<bool> ExistsOnServerAsync(PipelineHost host, string reference, CancellationToken ct)
    {
        using var response = await host.Fhir.GetAsync(reference, ct);
        return response.IsSuccessStatusCode;
    }

    /// <summary>Type/id references (not contained #ids, not absolute URLs to elsewhere).</summary>
    private static IEnumerable<string> LiteralReferences(JsonNode? node) => node switch
    {
        JsonObject obj => (obj["reference"] is JsonValue v && v.TryGetValue<string>(out var r) && IsLiteral(r) ? [r] : Enumerable.Empty<string>())
            .Concat(obj.SelectMany(p => LiteralReferences(p.Value))),
        JsonArray array => array.SelectMany(LiteralReferences),
        _ => [],
    };

    private static bool IsLiteral(string reference)
    {
        var parts = reference.Split('/');
        return parts.Length == 2 && parts[0].Length > 0 && char.IsAsciiLetterUpper(parts[0][0]);
    }
}
