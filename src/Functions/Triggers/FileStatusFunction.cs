using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using PrecisionMed.Core.Pipeline;

namespace PrecisionMed.Functions.Triggers;

/// <summary><c>GET /api/files/{fileId}</c>: a file's ledger record and its units.</summary>
public sealed class FileStatusFunction(LabFileStatusReader reader)
{
    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    [Function(nameof(FileStatusFunction))]
    public async Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "files/{fileId}")] HttpRequestData request,
        string fileId,
        CancellationToken cancellationToken)
    {
        var status = await reader.ReadAsync(fileId, cancellationToken);
        var response = request.CreateResponse(status is null ? HttpStatusCode.NotFound : HttpStatusCode.OK);
        response.Headers.Add("Content-Type", "application/json; charset=utf-8");
        object body = status is null ? new { error = $"No file with id {fileId} is in the ledger." } : status;
        await response.WriteStringAsync(JsonSerializer.Serialize(body, JsonOptions), cancellationToken);
        return response;
    }
}
