using System.Text.Json;
using System.Text.Json.Nodes;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Work;
using PrecisionMed.Core.Tests.Fakes;

namespace PrecisionMed.Core.Tests.Pipeline;

[Trait("Tier", "Fast")]
public sealed class WorkItemTests
{
    private static readonly WorkItem Item = new(
        "5d0f4c1e-3b1a-8c2d-9e0f-112233445566", "lab-a",
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", LabFileFormat.FhirJson,
        1, 3, "corr-42", new DateTimeOffset(2026, 3, 14, 9, 26, 53, TimeSpan.Zero))
    {
        BlobName = "2026/DOE-JANE_run-7.json",
    };

    [Fact]
    public void TryParse_ToJson_RoundTripsAllButTheBlobName()
    {
        Assert.Equal(Item with { BlobName = string.Empty }, WorkItem.TryParse(Item.ToJson()));
        Assert.DoesNotContain("DOE-JANE", Item.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_MessageFromBeforeTheBlobNameLeft_StillAWorkItem()
    {
        var json = JsonNode.Parse(Item.ToJson())!.AsObject();
        json["blobName"] = "2026/DOE-JANE_run-7.json";

        Assert.Equal(Item with { BlobName = string.Empty }, WorkItem.TryParse(json.ToJsonString()));
    }

    [Fact]
    public async Task WithBlobNameAsync_NameFromTheLedger_OrNullForAnotherLabOrNoFile()
    {
        var ct = TestContext.Current.CancellationToken;
        var ledger = new InMemoryLabFileLedger();
        var parsed = WorkItem.TryParse(Item.ToJson())!;
        Assert.Null(await parsed.WithBlobNameAsync(ledger, ct));

        await ledger.SaveFileAsync(Core.Pipeline.Ledger.LedgerFile.Received(Item.FileId, "lab-a", "2026/DOE-JANE_run-7.json", Item.ContentHash, DateTimeOffset.UnixEpoch), ct);
        Assert.Equal(Item, await parsed.WithBlobNameAsync(ledger, ct));
        Assert.Null(await (parsed with { LabId = "lab-b" }).WithBlobNameAsync(ledger, ct));
    }

    [Fact]
    public void ToJson_OnlyTheClaimCheckFields()
    {
        var json = JsonNode.Parse(Item.ToJson())!.AsObject();

        Assert.Equal(
            ["contentHash", "correlationId", "fileId", "format", "labId", "receivedAt", "unitCount", "unitIndex"],
            json.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("FhirJson", json["format"]!.GetValue<string>());
        Assert.All(json, p => Assert.NotEqual(JsonValueKind.Object, p.Value!.GetValueKind()));
    }

    [Fact]
    public void TryParse_MessageFromBeforeTraceParent_StillAWorkItem()
    {
        var json = JsonNode.Parse((Item with { TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" }).ToJson())!.AsObject();
        json.Remove("traceParent");

        Assert.Equal(Item with { TraceParent = null, BlobName = string.Empty }, WorkItem.TryParse(json.ToJsonString()));
    }

    [Fact]
    public void LabPath_LabAndBlobName()
    {
        Assert.Equal("lab-a/2026/DOE-JANE_run-7.json", Item.LabPath);
        Assert.DoesNotContain("labPath", Item.ToJson(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("{}")]
    [InlineData("{\"fileId\":")]
    public void TryParse_Garbage_Null(string message)
    {
        Assert.Null(WorkItem.TryParse(message));
    }

    [Theory]
    [InlineData("fileId")]
    [InlineData("labId")]
    [InlineData("contentHash")]
    [InlineData("format")]
    [InlineData("unitIndex")]
    [InlineData("unitCount")]
    [InlineData("correlationId")]
    [InlineData("receivedAt")]
    public void TryParse_MissingField_Null(string field)
    {
        var json = JsonNode.Parse(Item.ToJson())!.AsObject();
        json.Remove(field);

        Assert.Null(WorkItem.TryParse(json.ToJsonString()));
    }

    [Theory]
    [InlineData("fileId")]
    [InlineData("labId")]
    [InlineData("contentHash")]
    public void TryParse_EmptyOrNullId_Null(string field)
    {
        var json = JsonNode.Parse(Item.ToJson())!.AsObject();
        json[field] = string.Empty;
        Assert.Null(WorkItem.TryParse(json.ToJsonString()));

        json[field] = null;
        Assert.Null(WorkItem.TryParse(json.ToJsonString()));
    }

    [Theory]
    [InlineData(-1, 3)]
    [InlineData(3, 3)]
    [InlineData(0, 0)]
    [InlineData(0, -1)]
    public void TryParse_UnitIndexOutOfRange_Null(int unitIndex, int unitCount)
    {
        Assert.Null(WorkItem.TryParse((Item with { UnitIndex = unitIndex, UnitCount = unitCount }).ToJson()));
    }

    [Theory]
    [InlineData("format", "\"Pdf\"")]
    [InlineData("unitIndex", "\"one\"")]
    [InlineData("receivedAt", "\"yesterday\"")]
    public void TryParse_WrongFieldType_Null(string field, string value)
    {
        var json = JsonNode.Parse(Item.ToJson())!.AsObject();
        json[field] = JsonNode.Parse(value);

        Assert.Null(WorkItem.TryParse(json.ToJsonString()));
    }
}
