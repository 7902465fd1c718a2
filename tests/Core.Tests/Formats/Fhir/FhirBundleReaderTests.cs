using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PrecisionMed.Core.Formats.Fhir;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Tests.Formats.Fhir;

[Trait("Tier", "Fast")]
public sealed class FhirBundleReaderTests
{
    [Theory]
    [MemberData(nameof(TestFiles.IgExamples), MemberType = typeof(TestFiles))]
    public async Task ReadAsync_IgExample_EveryEntryRead(string name)
    {
        var bytes = TestFiles.IgExample(name);
        using var expected = JsonDocument.Parse(bytes);
        var expectedEntries = expected.RootElement.GetProperty("entry").EnumerateArray().ToList();

        var bundle = await ReadAsync(bytes);

        Assert.Equal(expected.RootElement.GetProperty("type").GetString(), bundle.BundleType);
        Assert.Equal(expectedEntries.Count, bundle.Entries.Count);
        for (var i = 0; i < bundle.Entries.Count; i++)
        {
            var entry = bundle.Entries[i];
            var resource = expectedEntries[i].GetProperty("resource");
            Assert.Equal(i, entry.Index);
            Assert.Equal(resource.GetProperty("resourceType").GetString(), entry.ResourceType);
            Assert.Equal(resource.TryGetProperty("id", out var id) ? id.GetString() : null, entry.Id);
            Assert.Equal(expectedEntries[i].TryGetProperty("fullUrl", out var fullUrl) ? fullUrl.GetString() : null, entry.FullUrl);
            Assert.Equal($"Bundle.entry[{i}].resource", entry.Path);
        }
    }

    [Fact]
    public async Task ReadAsync_BundleWithUtf8Bom_Reads()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. TestFiles.IgExample("Bundle-bundle-pgxexample.json")];

        var bundle = await ReadAsync(bytes);

        Assert.Equal(15, bundle.Entries.Count);
    }

    [Fact]
    public async Task ReadAsync_BundleIdentifier_Kept()
    {
        var bundle = await ReadAsync("""{"resourceType":"Bundle","type":"collection","identifier":{"system":"urn:x","value":"B-1"},"entry":[{"resource":{"resourceType":"Observation"}}]}""");

        Assert.Equal("B-1", bundle.Identifier);
        Assert.Null(bundle.Entries[0].Id);
        Assert.Null(bundle.Entries[0].RelativeReference);
    }

    [Fact]
    public async Task ReadAsync_UnpairedSurrogateEscapeInAPropertyName_RejectedWithLineAndColumn()
    {
        // Found by the pipeline fuzz (FHIR case 858 of seed 7003): the check for repeated names unescaped the name and
        // threw InvalidOperationException, which escaped intake.
        const string json = "{\n  \"resourceType\": \"Bundle\",\n  \"ty\\ud800pe\": \"collection\"\n}";

        var problem = await RejectedAsync(json);

        Assert.Equal(3, problem.Position.Line);
        Assert.Equal(3, problem.Position.Column);
        Assert.Contains("unpaired surrogate", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_MissingComma_RejectedWithOneBasedLineAndColumn()
    {
        const string json = "{\n  \"resourceType\": \"Bundle\",\n  \"type\": \"collection\"\n  \"entry\": []\n}";

        var problem = await RejectedAsync(json);

        Assert.Equal(4, problem.Position.Line);
        Assert.Equal(3, problem.Position.Column);
        Assert.StartsWith("the file is not valid JSON", problem.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("Path:", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_TruncatedIgExample_RejectedWithLineAndColumn()
    {
        var bytes = TestFiles.IgExample("Bundle-bundle-cgexample.json");

        var half = bytes.Length / 2;

        var problem = await RejectedAsync(bytes[..half]);

        // The IG examples are minified onto one line, so the column is a byte offset into it.
        Assert.Equal(1, problem.Position.Line);
        Assert.InRange(problem.Position.Column!.Value, 2, half + 1);
    }

    [Fact]
    public async Task ReadAsync_InvalidJsonOnFirstLine_LineOneColumnOfTheBadByte()
    {
        var problem = await RejectedAsync("{x}");

        Assert.Equal(1, problem.Position.Line);
        Assert.Equal(2, problem.Position.Column);
    }

    [Fact]
    public async Task ReadAsync_EmptyFile_Rejected()
    {
        var problem = await RejectedAsync(string.Empty);

        Assert.Equal(1, problem.Position.Line);
    }

    [Fact]
    public async Task ReadAsync_NotAnObject_RejectedAtRoot()
    {
        var problem = await RejectedAsync("""[{"resourceType":"Bundle"}]""");

        Assert.Equal("$", problem.Position.Path);
    }

    [Fact]
    public async Task ReadAsync_PatientInsteadOfBundle_RejectedAtResourceType()
    {
        var problem = await RejectedAsync("""{"resourceType":"Patient","id":"p"}""");

        Assert.Equal("resourceType", problem.Position.Path);
        Assert.Contains("'Patient'", problem.Reason, StringComparison.Ordinal);
        Assert.Contains("Bundle", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_NoResourceType_RejectedAsNotFhir()
    {
        var problem = await RejectedAsync("""{"type":"collection","entry":[]}""");

        Assert.Equal("resourceType", problem.Position.Path);
        Assert.Contains("no resourceType", problem.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"message\"", "'message' is not accepted")]
    [InlineData("\"history\"", "'history' is not accepted")]
    [InlineData("7", "Bundle.type is missing")]
    [InlineData("null", "Bundle.type is missing")]
    public async Task ReadAsync_BadBundleType_RejectedAtBundleType(string type, string reason)
    {
        var problem = await RejectedAsync($$$"""{"resourceType":"Bundle","type":{{{type}}},"entry":[{"resource":{"resourceType":"Observation"}}]}""");

        Assert.Equal("Bundle.type", problem.Position.Path);
        Assert.Contains(reason, problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_EntryWithoutResource_RejectedAtThatEntry()
    {
        var problem = await RejectedAsync("""
            {"resourceType":"Bundle","type":"collection","entry":[
              {"resource":{"resourceType":"Observation"}},
              {"fullUrl":"urn:uuid:0d0a2f7e-7c07-4b1e-9d5e-1f0e8d3c2b1a"}
            ]}
            """);

        Assert.Equal("Bundle.entry[1].resource", problem.Position.Path);
        Assert.Equal("the entry has no resource", problem.Reason);
    }

    [Fact]
    public async Task ReadAsync_DeleteRequestEntry_RejectedAsNotAcceptedFromALab()
    {
        var problem = await RejectedAsync("""
            {"resourceType":"Bundle","type":"transaction","entry":[{"request":{"method":"DELETE","url":"Patient/1"}}]}
            """);

        Assert.Equal("Bundle.entry[0].resource", problem.Position.Path);
        Assert.Contains("DELETE", problem.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"resourceType":"Bundle","type":"collection","entry":[]}""")]
    [InlineData("""{"resourceType":"Bundle","type":"collection"}""")]
    public async Task ReadAsync_EmptyBundle_RejectedAsNothingToReport(string json)
    {
        var problem = await RejectedAsync(json);

        Assert.Equal("Bundle.entry", problem.Position.Path);
        Assert.Contains("no entries", problem.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"resourceType":"Bundle","type":"collection","entry":{}}""", "Bundle.entry")]
    [InlineData("""{"resourceType":"Bundle","type":"collection","entry":[42]}""", "Bundle.entry[0]")]
    [InlineData("""{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"id":"x"}}]}""", "Bundle.entry[0].resource.resourceType")]
    [InlineData("""{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"observation"}}]}""", "Bundle.entry[0].resource.resourceType")]
    [InlineData("""{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Bundle","type":"collection"}}]}""", "Bundle.entry[0].resource")]
    public async Task ReadAsync_MalformedEntries_RejectedWithPath(string json, string path)
    {
        var problem = await RejectedAsync(json);

        Assert.Equal(path, problem.Position.Path);
    }

    [Fact]
    public async Task ReadAsync_DuplicatePropertyNames_Rejected()
    {
        var problem = await RejectedAsync("""{"resourceType":"Bundle","resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Observation"}}]}""");

        // System.Text.Json reports no position for a duplicate name; the reason names the property.
        Assert.StartsWith("the file is not valid JSON", problem.Reason, StringComparison.Ordinal);
        Assert.Contains("'resourceType'", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_NestingDeeperThanAllowed_Rejected()
    {
        var deep = string.Concat(Enumerable.Repeat("[", 200)) + string.Concat(Enumerable.Repeat("]", 200));

        var problem = await RejectedAsync($$$"""{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Basic","x":{{{deep}}}}}]}""");

        Assert.Equal(1, problem.Position.Line);
    }

    [Fact]
    public async Task ReadAsync_Latin1TextInAString_RejectedWithPath()
    {
        byte[] bytes =
        [
            .. """{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","name":[{"family":"M"""u8,
            0xFC, // 'ü' in Latin-1: not UTF-8
            .. "ller\"}]}}]}"u8,
        ];

        var problem = await RejectedAsync(bytes);

        Assert.Equal("Bundle.entry[0].resource.name[0].family", problem.Position.Path);
        Assert.Contains("not valid UTF-8", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_InvalidUtf8InAPropertyName_RejectedAtItsObject()
    {
        byte[] bytes =
        [
            .. """{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Observation","x"""u8,
            0xC3, 0x28,
            .. "\":1}}]}"u8,
        ];

        var problem = await RejectedAsync(bytes);

        Assert.Equal("Bundle.entry[0].resource", problem.Position.Path);
    }

    [Fact]
    public async Task ReadAsync_UnpairedSurrogateEscape_Rejected()
    {
        var problem = await RejectedAsync("""{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Observation","id":"a\uD800b"}}]}""");

        Assert.Equal("Bundle.entry[0].resource.id", problem.Position.Path);
    }

    [Fact]
    public void Read_NonStringResourceId_IdNull()
    {
        var root = JsonNode.Parse("""{"resourceType":"Bundle","type":"batch","entry":[{"resource":{"resourceType":"Observation","id":12}}]}""");

        var bundle = FhirBundleReader.Read(root);

        Assert.Null(bundle.Entries[0].Id);
    }

    [Fact]
    public void Read_Null_RejectedAtRoot()
    {
        var ex = Assert.Throws<LabFileRejectedException>(() => FhirBundleReader.Read(null));

        Assert.Equal("$", ex.Problem.Position.Path);
        Assert.StartsWith("$: ", ex.Message, StringComparison.Ordinal);
    }

    internal static async Task<LabBundle> ReadAsync(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return await FhirBundleReader.ReadAsync(stream, TestContext.Current.CancellationToken);
    }

    internal static Task<LabBundle> ReadAsync(string json) => ReadAsync(Encoding.UTF8.GetBytes(json));

    private static Task<LabFileProblem> RejectedAsync(string json) => RejectedAsync(Encoding.UTF8.GetBytes(json));

    private static async Task<LabFileProblem> RejectedAsync(byte[] bytes)
    {
        var ex = await Assert.ThrowsAsync<LabFileRejectedException>(() => ReadAsync(bytes));
        Assert.False(string.IsNullOrWhiteSpace(ex.Problem.Reason));
        return ex.Problem;
    }
}
