using System.Net;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Diff;
using PrecisionMed.Core.Pipeline.Reinterpretation;

namespace PrecisionMed.Api.Knowledge;

/// <summary>
/// <c>GET /api/reinterpretations</c>: the stored knowledge diffs (versions, impact counts) and the last reinterpretation
/// runs (diffs covered, reports affected, queued, deferred past the cap, the rate), the newest
/// <see cref="RunsWithProgress"/> of them with how far each got (<see cref="ReinterpretationProgress"/>: queued, amended,
/// unchanged, failed, poisoned, remaining), counted from the run's ledger records. Two point reads of the knowledge store
/// and one single-partition query per run shown; counts only: no patient, report or variant.
/// </summary>
public sealed class ReinterpretationStatusEndpoint(IKnowledgeStore store, IReinterpretationLedger ledger) : IApiEndpoint
{
    /// <summary>Runs whose progress is counted (newest first); older runs show what they queued only.</summary>
    public const int RunsWithProgress = 10;

    public string Name => "ReinterpretationStatusFunction";

    public IReadOnlyList<string> Methods { get; } = ["GET", "HEAD"];

    public string Route => "reinterpretations";

    public bool NeedsFunctionKey => true;

    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var diffs = await store.ReadAsync(KnowledgeDiffLogDocument.LogId, cancellationToken) as KnowledgeDiffLogDocument;
        var runs = (await store.ReadAsync(ReinterpretationRunLogDocument.LogId, cancellationToken) as ReinterpretationRunLogDocument)?.Runs ?? [];
        var shown = new List<RunStatus>();
        for (var i = runs.Count - 1; i >= 0; i--)
        {
            var run = runs[i];
            var progress = runs.Count - i <= RunsWithProgress ? ReinterpretationProgress.Of(await ledger.ListAsync(run.RunId, cancellationToken)) : null;
            shown.Add(new RunStatus(run.RunId, run.CreatedAt, run.Since, run.DiffIds, run.Affected, run.Queued, run.Deferred, run.ReportsPerMinute, progress));
        }

        shown.Reverse(); // oldest first, as the run log keeps them
        return ApiResponse.Json(HttpStatusCode.OK, new Answer(diffs?.Diffs ?? [], shown));
    }

    private sealed record Answer(IReadOnlyList<KnowledgeDiffLogEntry> Diffs, IReadOnlyList<RunStatus> Runs);

    /// <param name="Progress">How far the run got; null for a run older than the <see cref="RunsWithProgress"/> newest.</param>
    private sealed record RunStatus(
        string RunId, string CreatedAt, string? Since, IReadOnlyList<string> DiffIds, int Affected, int Queued, int Deferred, int ReportsPerMinute,
        ReinterpretationProgress? Progress);
}
