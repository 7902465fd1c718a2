using System.Net;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using PrecisionMed.Core.Pipeline.Replay;

namespace PrecisionMed.Functions.Triggers;

/// <summary>
/// <c>POST /api/files/{fileId}/replay</c> (optional body <c>{"reason": "ticket 42"}</c> or <c>?reason=</c>, no PHI):
/// re-drives the file's failed units. 202 with what was queued; 404 for an unknown file; 409 when nothing is replayable
/// or the replay bound (<c>Pipeline__MaxReplays</c>) is reached, with the reason.
/// </summary>
public sealed class FileReplayFunction(LabFileReplayer replayer)
{
    [Function(nameof(FileReplayFunction))]
    public async Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "files/{fileId}/replay")] HttpRequestData request,
        string fileId,
        CancellationToken cancellationToken)
    {
        var reason = await ReasonOfAsync(request, cancellationToken);
        var replay = await replayer.ReplayAsync(fileId, new ReplayRequest("API", reason, request.FunctionContext.InvocationId), cancellationToken);
        var status = replay.Outcome switch
        {
            ReplayOutcome.Replayed => HttpStatusCode.Accepted,
            ReplayOutcome.NotFound => HttpStatusCode.NotFound,
            _ => HttpStatusCode.Conflict,
        };
        return await FileListFunction.JsonAsync(request, status, replay, cancellationToken);
    }

    private static async Task<string?> ReasonOfAsync(HttpRequestData request, CancellationToken cancellationToken)
    {
        if (request.Query["reason"] is { Length: > 0 } inQuery) return inQuery;
        var body = await new StreamReader(request.Body).ReadToEndAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("reason", out var value)
                && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }
        catch (JsonException)
        {
            return null; // the reason is a courtesy: a body that is not JSON replays all the same
        }
    }
}
