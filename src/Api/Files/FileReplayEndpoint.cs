using System.Net;
using System.Text.Json;
using PrecisionMed.Core.Pipeline.Replay;

namespace PrecisionMed.Api.Files;

/// <summary>
/// <c>POST /api/files/{fileId}/replay</c> (optional body <c>{"reason": "ticket 42"}</c> or <c>?reason=</c>, no PHI):
/// re-drives the file's failed units. 202 with what was queued; 404 for an unknown file; 409 when nothing is replayable
/// or the replay bound (<c>Pipeline__MaxReplays</c>) is reached, with the reason; 400 for an id of another shape than the
/// ledger's (<see cref="FileIdRoute"/>), so that the answer quotes only an id of that short shape.
/// </summary>
public sealed class FileReplayEndpoint(LabFileReplayer replayer) : IApiEndpoint
{
    public string Name => "FileReplayFunction";

    public IReadOnlyList<string> Methods { get; } = ["POST"];

    public string Route => "files/{fileId}/replay";

    public bool NeedsFunctionKey => true;

    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var (fileId, refusal) = FileIdRoute.Of(request);
        if (refusal is not null) return refusal;
        var replay = await replayer.ReplayAsync(
            fileId!, new ReplayRequest("API", ReasonOf(request), request.InvocationId), cancellationToken);
        var status = replay.Outcome switch
        {
            ReplayOutcome.Replayed => HttpStatusCode.Accepted,
            ReplayOutcome.NotFound => HttpStatusCode.NotFound,
            _ => HttpStatusCode.Conflict,
        };
        return ApiResponse.Json(status, replay);
    }

    private static string? ReasonOf(ApiRequest request)
    {
        if (request.QueryValue("reason") is { Length: > 0 } inQuery) return inQuery;
        if (request.Body.IsEmpty) return null;
        try
        {
            using var json = JsonDocument.Parse(request.Body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("reason", out var value)
                && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null; // the reason is a courtesy: a body that is not JSON (or a reason that is not text) replays all the same
        }
    }
}
