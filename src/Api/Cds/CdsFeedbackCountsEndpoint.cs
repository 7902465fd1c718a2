using System.Net;
using PrecisionMed.Core.Cds;
using PrecisionMed.Core.Cds.Feedback;

namespace PrecisionMed.Api.Cds;

/// <summary>
/// The status API's ordering-governance report, <c>GET /api/cds-feedback</c>: feedback counted by service, card kind,
/// outcome and override reason. Counts only, no card or patient.
/// </summary>
public sealed class CdsFeedbackCountsEndpoint(ICdsFeedbackStore store) : IApiEndpoint
{
    public string Name => "CdsFeedbackCountsFunction";

    public IReadOnlyList<string> Methods { get; } = ["GET", "HEAD"];

    public string Route => "cds-feedback";

    public bool NeedsFunctionKey => true;

    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken cancellationToken) =>
        ApiResponse.Json(HttpStatusCode.OK, new Counts(await store.CountAsync([.. CdsServiceCatalog.Services.Select(s => s.Id)], cancellationToken)));

    private sealed record Counts(IReadOnlyList<CdsFeedbackCount> Feedback);
}
