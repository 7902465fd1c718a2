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
/// Through the functions, Azurite and the FHIR server: two files a lab sends under one name are both archived under
/// their content hash, and each report's DocumentReference (and Provenance) in the FHIR service leads to its own bytes.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class ArchiveByContentEndToEndTests(LocalStackFixture stack)
{
    private const string LabId = "lab-originals";
    private const string UrnPrefix = "urn:precisionmed:blob:";

    [Fact]
    public async Task TwoFilesOfOneName_BothArchivedEachReportLeadingToItsOwnBytes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(stack.Stack);
        const string name = "2026/results.hl7";
        var first = await ReadTestDataAsync("hl7v2/authored/germline_from_cgexample.hl7", ct);
        var second = await ReadTestDataAsync("hl7v2/authored/somatic_braf_from_oncology_diagnostic.hl7", ct);
        const string bundleName = "2026/results.json";
        var bundle = await ReadTestDataAsync("fhir/ig-examples/Bundle-bundle-oncology-diagnostic.json", ct);

        foreach (var (content, fileName) in new[] { (first, name), (second, name), (bundle, bundleName) })
        {
            await host.UploadAsync(LabId, fileName, content, ct);
            await host.ArriveAsync(LabId, fileName, ct);
            await host.DrainWorkQueueAsync(ct);
        }

        await AssertLeadsToItsOwnBytesAsync(host, first, name, "x-application/hl7-v2+er7", ct);
        await AssertLeadsToItsOwnBytesAsync(host, second, name, "x-application/hl7-v2+er7", ct);
        await AssertLeadsToItsOwnBytesAsync(host, bundle, bundleName, "application/fhir+json", ct);
        Assert.False(await host.ExistsAsync(LabFileAreas.Incoming, $"{LabId}/{name}", ct));
    }

    private static async Task AssertLeadsToItsOwnBytesAsync(PipelineHost host, byte[] content, string name, string contentType, CancellationToken ct)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        var file = await host.Ledger.FindFileAsync(LabFileIds.For(LabId, hash), ct);
        Assert.Equal(FileState.Completed, file!.State);
        var archived = LabFileOriginals.Archived(LabId, hash, name);
        Assert.Equal(archived.ToString(), file.StoredAt);
        Assert.Equal(content, await host.ReadBlobAsync(LabFileAreas.Archive, archived.Path, ct));

        var unit = Assert.Single(await host.Ledger.ListUnitsAsync(file.FileId, ct));
        JsonNode? document = null;
        JsonNode? provenance = null;
        foreach (var reference in unit.ResourceReferences.Where(r => r.StartsWith("DocumentReference/", StringComparison.Ordinal) || r.StartsWith("Provenance/", StringComparison.Ordinal)))
        {
            var resource = await GetAsync(host, reference, ct);
            if ((string?)resource["resourceType"] == "Provenance") provenance = resource;
            else if ((string?)resource["identifier"]?[0]?["system"] == "urn:precisionmed:sha256") document = resource;
        }

        Assert.NotNull(document);
        Assert.NotNull(provenance);
        Assert.Equal(hash, (string?)document["identifier"]![0]!["value"]);
        var attachment = document["content"]![0]!["attachment"]!;
        Assert.Equal(contentType, (string?)attachment["contentType"]);
        var url = (string?)attachment["url"];
        Assert.StartsWith(UrnPrefix + "archive/", url, StringComparison.Ordinal);

        // The URL is enough to fetch the very bytes the report was built from.
        var (area, path) = Split(Uri.UnescapeDataString(url![UrnPrefix.Length..]));
        Assert.Equal(content, await host.ReadBlobAsync(area, path, ct));
        Assert.Equal(unit.ReportReference, (string?)document["context"]!["related"]![0]!["reference"]);
        Assert.Empty(FhirProfileValidator.Shared.Validate(document.ToJsonString()).Errors);

        var source = provenance["entity"]![0]!["what"]!;
        Assert.Equal($"DocumentReference/{(string?)document["id"]}", (string?)source["reference"]);
        Assert.Equal(archived.ToString(), (string?)source["identifier"]!["value"]);
        Assert.Contains(provenance["entity"]!.AsArray(), e => (string?)e!["what"]!["identifier"]!["value"] == $"incoming/{LabId}/{name}");
    }

    private static (string Area, string Path) Split(string areaAndPath)
    {
        var slash = areaAndPath.IndexOf('/', StringComparison.Ordinal);
        return (areaAndPath[..slash], areaAndPath[(slash + 1)..]);
    }

    private static async Task<JsonNode> GetAsync(PipelineHost host, string reference, CancellationToken ct)
    {
        using var response = await host.Fhir.GetAsync(reference, ct);
        Assert.True(response.IsSuccessStatusCode, $"GET {reference}: HTTP {(int)response.StatusCode}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
    }

    private static Task<byte[]> ReadTestDataAsync(string relativePath, CancellationToken ct) =>
        File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestData", relativePath), ct);
}
