using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Adapters.Tests.Stack;

/// <summary>The local stack's services behave the way the adapters rely on.</summary>
[Trait("Tier", "Stack")]
public sealed class LocalStackTests(LocalStackFixture fixture)
{
    private const string FhirJson = "application/fhir+json";
    private readonly LocalStack _stack = fixture.Stack;

    [Fact]
    public void StartAsync_AllServices_ReportReadinessTimes()
    {
        TestContext.Current.TestOutputHelper?.WriteLine(_stack.ReadinessSummary);

        Assert.True(_stack.AzuriteReady > TimeSpan.Zero);
        Assert.True(_stack.CosmosReady > TimeSpan.Zero);
        Assert.True(_stack.FhirReady > TimeSpan.Zero);
        Assert.EndsWith("/", _stack.FhirBaseUrl.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains($"BlobEndpoint={_stack.BlobServiceUri}", _stack.AzuriteConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlobClient_UploadThenDownload_ReturnsSameBytes()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var container = _stack.CreateBlobServiceClient().GetBlobContainerClient(UniqueName("blobs"));
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var blob = container.GetBlobClient("inbox/report.hl7");
        byte[] content = [0xEF, 0xBB, 0xBF, (byte)'M', (byte)'S', (byte)'H', (byte)'\r', (byte)'\n'];

        await blob.UploadAsync(BinaryData.FromBytes(content), overwrite: true, cancellationToken);
        var downloaded = await blob.DownloadContentAsync(cancellationToken);

        Assert.Equal(content, downloaded.Value.Content.ToArray());
    }

    [Fact]
    public async Task QueueClient_SendThenReceive_ReturnsSameMessage()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var queue = _stack.CreateQueueServiceClient().GetQueueClient(UniqueName("queue"));
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);

        await queue.SendMessageAsync("""{"fileId":"f-1"}""", cancellationToken);
        var received = await queue.ReceiveMessageAsync(cancellationToken: cancellationToken);
        await queue.DeleteMessageAsync(received.Value.MessageId, received.Value.PopReceipt, cancellationToken);

        Assert.Equal("""{"fileId":"f-1"}""", received.Value.Body.ToString());
    }

    [Fact]
    public async Task CosmosContainer_UpsertThenPointRead_ReturnsItem()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = _stack.CreateCosmosClient();
        var container = await CreateContainerAsync(client, cancellationToken);
        var item = new FileItem("item-1", "file-1", "received");

        await container.UpsertItemAsync(item, new PartitionKey(item.FileId), cancellationToken: cancellationToken);
        var read = await container.ReadItemAsync<FileItem>(item.Id, new PartitionKey(item.FileId), cancellationToken: cancellationToken);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(item, read.Resource);
        Assert.False(string.IsNullOrEmpty(read.ETag));
    }

    [Fact]
    public async Task CosmosContainer_ReplaceWithStaleETag_ThrowsPreconditionFailed()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = _stack.CreateCosmosClient();
        var container = await CreateContainerAsync(client, cancellationToken);
        var partitionKey = new PartitionKey("file-2");
        var created = await container.UpsertItemAsync(new FileItem("item-2", "file-2", "received"), partitionKey, cancellationToken: cancellationToken);
        var staleETag = created.ETag;

        var replaced = await container.ReplaceItemAsync(
            new FileItem("item-2", "file-2", "parsed"), "item-2", partitionKey, new ItemRequestOptions { IfMatchEtag = staleETag }, cancellationToken);
        var conflict = await Assert.ThrowsAsync<CosmosException>(() => container.ReplaceItemAsync(
            new FileItem("item-2", "file-2", "failed"), "item-2", partitionKey, new ItemRequestOptions { IfMatchEtag = staleETag }, cancellationToken));

        Assert.NotEqual(staleETag, replaced.ETag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, conflict.StatusCode);
        var current = await container.ReadItemAsync<FileItem>("item-2", partitionKey, cancellationToken: cancellationToken);
        Assert.Equal("parsed", current.Resource.Status);
    }

    [Fact]
    public async Task CosmosContainer_SinglePartitionQuery_ReturnsOnlyThatPartition()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = _stack.CreateCosmosClient();
        var container = await CreateContainerAsync(client, cancellationToken);
        await container.UpsertItemAsync(new FileItem("a", "file-3", "received"), new PartitionKey("file-3"), cancellationToken: cancellationToken);
        await container.UpsertItemAsync(new FileItem("b", "file-3", "parsed"), new PartitionKey("file-3"), cancellationToken: cancellationToken);
        await container.UpsertItemAsync(new FileItem("c", "file-4", "received"), new PartitionKey("file-4"), cancellationToken: cancellationToken);

        // cosmosdb-server ignores the partition key in the request options: it must be in the WHERE clause.
        var query = new QueryDefinition("SELECT * FROM c WHERE c.fileId = @fileId").WithParameter("@fileId", "file-3");
        var found = new List<FileItem>();
        using var iterator = container.GetItemQueryIterator<FileItem>(
            query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey("file-3") });
        while (iterator.HasMoreResults)
        {
            found.AddRange(await iterator.ReadNextAsync(cancellationToken));
        }

        Assert.Equal(["a", "b"], found.Select(item => item.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CosmosContainer_ReadMissingItem_ReturnsInternalServerError()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = _stack.CreateCosmosClient();
        var container = await CreateContainerAsync(client, cancellationToken);

        // Real Cosmos DB answers 404; cosmosdb-server answers 500 (see docs/design.md).
        using var response = await container.ReadItemStreamAsync("missing", new PartitionKey("file-5"), cancellationToken: cancellationToken);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    [Fact]
    public async Task FhirMetadata_Get_ReturnsR4CapabilityStatement()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = _stack.CreateFhirHttpClient();

        var metadata = await client.GetFromJsonAsync<JsonObject>("metadata", cancellationToken);

        Assert.NotNull(metadata);
        Assert.Equal("CapabilityStatement", (string?)metadata["resourceType"]);
        Assert.Equal("4.0.1", (string?)metadata["fhirVersion"]);
    }

    [Fact]
    public async Task FhirPut_NewThenChanged_CreatesThenUpdatesVersion()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = _stack.CreateFhirHttpClient();
        var id = Guid.NewGuid().ToString();
        var path = $"Patient/{id}";

        using var created = await PutAsync(client, path, Patient(id, "Alpha"), cancellationToken);
        using var updated = await PutAsync(client, path, Patient(id, "Beta"), cancellationToken);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("1", (string?)(await ReadJsonAsync(created, cancellationToken))["meta"]?["versionId"]);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("2", (string?)(await ReadJsonAsync(updated, cancellationToken))["meta"]?["versionId"]);
    }

    [Fact]
    public async Task FhirTransaction_ConditionalCreateWithUrnUuid_RewritesReference()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = _stack.CreateFhirHttpClient();
        var identifier = Guid.NewGuid().ToString();
        var observationId = Guid.NewGuid().ToString();

        var first = await PostTransactionAsync(client, TransactionBundle(identifier, observationId), cancellationToken);
        var second = await PostTransactionAsync(client, TransactionBundle(identifier, observationId), cancellationToken);
        var observation = await client.GetFromJsonAsync<JsonObject>($"Observation/{observationId}", cancellationToken);

        var patientId = PatientIdFrom(first);
        Assert.Equal("transaction-response", (string?)first["type"]);
        Assert.Equal(patientId, PatientIdFrom(second));
        Assert.Equal($"Patient/{patientId}", (string?)observation?["subject"]?["reference"]);
    }

    private static async Task<Container> CreateContainerAsync(CosmosClient client, CancellationToken cancellationToken)
    {
        Database database = await client.CreateDatabaseIfNotExistsAsync(UniqueName("db"), cancellationToken: cancellationToken);
        return await database.CreateContainerIfNotExistsAsync(UniqueName("files"), "/fileId", cancellationToken: cancellationToken);
    }

    private static string UniqueName(string prefix) => $"{prefix}{Guid.NewGuid():N}";

    private static JsonObject Patient(string id, string family) => new()
    {
        ["resourceType"] = "Patient",
        ["id"] = id,
        ["name"] = new JsonArray(new JsonObject { ["family"] = family }),
    };

    private static JsonObject TransactionBundle(string identifier, string observationId)
    {
        var patientUrn = $"urn:uuid:{Guid.NewGuid()}";
        return new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "transaction",
            ["entry"] = new JsonArray(
                new JsonObject
                {
                    ["fullUrl"] = patientUrn,
                    ["resource"] = new JsonObject
                    {
                        ["resourceType"] = "Patient",
                        ["identifier"] = new JsonArray(new JsonObject { ["system"] = "urn:test:mrn", ["value"] = identifier }),
                    },
                    ["request"] = new JsonObject
                    {
                        ["method"] = "POST",
                        ["url"] = "Patient",
                        ["ifNoneExist"] = $"identifier=urn:test:mrn|{identifier}",
                    },
                },
                new JsonObject
                {
                    ["fullUrl"] = $"urn:uuid:{Guid.NewGuid()}",
                    ["resource"] = new JsonObject
                    {
                        ["resourceType"] = "Observation",
                        ["id"] = observationId,
                        ["status"] = "final",
                        ["code"] = new JsonObject { ["text"] = "test" },
                        ["subject"] = new JsonObject { ["reference"] = patientUrn },
                    },
                    ["request"] = new JsonObject { ["method"] = "PUT", ["url"] = $"Observation/{observationId}" },
                }),
        };
    }

    private static string PatientIdFrom(JsonObject transactionResponse)
    {
        // Location is "Patient/<id>/_history/<version>", possibly absolute.
        var location = (string?)transactionResponse["entry"]?[0]?["response"]?["location"];
        Assert.NotNull(location);
        var segments = new Uri(new Uri("http://base/"), location).AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var patient = Array.IndexOf(segments, "Patient");
        Assert.True(patient >= 0 && patient + 1 < segments.Length, $"Unexpected location {location}");
        return segments[patient + 1];
    }

    private static async Task<HttpResponseMessage> PutAsync(HttpClient client, string path, JsonObject resource, CancellationToken cancellationToken)
    {
        using var content = FhirContent(resource);
        return await client.PutAsync(path, content, cancellationToken);
    }

    private static async Task<JsonObject> PostTransactionAsync(HttpClient client, JsonObject bundle, CancellationToken cancellationToken)
    {
        using var content = FhirContent(bundle);
        using var response = await client.PostAsync(string.Empty, content, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ReadJsonAsync(response, cancellationToken);
    }

    private static async Task<JsonObject> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken) ?? throw new InvalidOperationException("Empty FHIR response body.");

    private static StringContent FhirContent(JsonObject resource) =>
        new(resource.ToJsonString(), System.Text.Encoding.UTF8, FhirJson);

    private sealed record FileItem(string Id, string FileId, string Status);
}
