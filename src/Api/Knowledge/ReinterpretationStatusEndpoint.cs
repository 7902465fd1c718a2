using System.Net;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Diff;

namespace PrecisionMed.Api.Knowledge;

/// <summary>
/// <c>GET /api/reinterpretations</c>: the stored knowledge diffs (versions, impact counts) and the last reinterpretation
/// runs (diffs covered, reports affected, queued, deferred past the cap, the rate). Two point reads of the knowledge
/// store; no patient, report or variant.
/// </summary>
public sealed class ReinterpretationStatusEndpoint(IKnowledgeStore store) : IApiEndpoint
{
    public string Name => "ReinterpretationStatusFunction";

    public IReadOnlyList<string> Methods { get; } = ["GET"];

    public string Route => "reinterpretations";

    public bool NeedsFunctionKey => true;

    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var diffs = await store.ReadAsync(KnowledgeDiffLogDocument.LogId, cancellationToken) as KnowledgeDiffLogDocument;
        var runs = await store.ReadAsync(ReinterpretationRunLogDocument.LogId, cancellationToken) as ReinterpretationRunLogDocument;
        return ApiResponse.Json(HttpStatusCode.OK, new Answer(diffs?.Diffs ?? [], runs?.Runs ?? []));
    }

    private sealed record Answer(IReadOnlyList<KnowledgeDiffLogEntry> Diffs, IReadOnlyList<ReinterpretationRun> Runs);
}
