using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.Configuration;
using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Functions.Triggers;

/// <summary>
/// <c>GET /api/files/{fileId}[?include=fileName]</c>: a file's ledger record and its units, without the lab's file name
/// (nor any path or text quoting it) unless an operator asks for it (see <see cref="FileNameAccess"/>).
/// </summary>
public sealed class FileStatusFunction(LabFileStatusReader reader, IConfiguration configuration)
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
        var (names, refusal) = FileNameAccess.Of(request, configuration);
        if (refusal is not null) return await FileListFunction.JsonAsync(request, refusal.Status, new { error = refusal.Message }, cancellationToken);

        var status = await reader.ReadAsync(fileId, names, cancellationToken);
        object body = status is null ? new { error = $"No file with id {fileId} is in the ledger." } : status;
        return await FileListFunction.JsonAsync(request, status is null ? HttpStatusCode.NotFound : HttpStatusCode.OK, body, cancellationToken);
    }
}
