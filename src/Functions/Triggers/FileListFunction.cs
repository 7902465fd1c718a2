using System.Net;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.Configuration;
using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Functions.Triggers;

/// <summary>
/// <c>GET /api/files?state=Failed&amp;pageSize=50&amp;continuation=...[&amp;include=fileName]</c>: the ledger's files,
/// optionally in one state, a page at a time, each with its units counted by state and its last problem. The answer's
/// <c>continuation</c>, passed back, gives the next page. No lab file names unless an operator asks, as for
/// <see cref="FileStatusFunction"/> (see <see cref="FileNameAccess"/>).
/// </summary>
public sealed class FileListFunction(LabFileStatusReader reader, IConfiguration configuration)
{
    [Function(nameof(FileListFunction))]
    public async Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "files")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var query = request.Query;
        var (names, refusal) = FileNameAccess.Of(request, configuration);
        if (refusal is not null) return await JsonAsync(request, refusal.Status, new { error = refusal.Message }, cancellationToken);

        FileState? state = null;
        if (query["state"] is { Length: > 0 } stateText)
        {
            if (!Enum.TryParse<FileState>(stateText, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                return await JsonAsync(request, HttpStatusCode.BadRequest, new { error = $"state must be one of {string.Join(", ", Enum.GetNames<FileState>())}." }, cancellationToken);
            state = parsed;
        }

        var pageSize = LabFileStatusReader.DefaultPageSize;
        if (query["pageSize"] is { Length: > 0 } sizeText && (!int.TryParse(sizeText, out pageSize) || pageSize < 1 || pageSize > LabFileStatusReader.MaxPageSize))
            return await JsonAsync(request, HttpStatusCode.BadRequest, new { error = $"pageSize must be a number from 1 to {LabFileStatusReader.MaxPageSize}." }, cancellationToken);

        var page = await reader.ListAsync(state, pageSize, query["continuation"] is { Length: > 0 } continuation ? continuation : null, names, cancellationToken);
        return await JsonAsync(request, HttpStatusCode.OK, page, cancellationToken);
    }

    internal static async Task<HttpResponseData> JsonAsync(HttpRequestData request, HttpStatusCode status, object body, CancellationToken cancellationToken)
    {
        var response = request.CreateResponse(status);
        response.Headers.Add("Content-Type", "application/json; charset=utf-8");
        await response.WriteStringAsync(JsonSerializer.Serialize(body, FileStatusFunction.JsonOptions), cancellationToken);
        return response;
    }
}
