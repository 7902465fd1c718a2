using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using PrecisionMed.Api.Cds;

namespace PrecisionMed.Functions.Triggers;

/// <summary>The Functions host of <see cref="CdsFeedbackCountsEndpoint"/>: <c>GET /api/cds-feedback</c>, the ordering-governance counts.</summary>
public sealed class CdsFeedbackCountsFunction(CdsFeedbackCountsEndpoint endpoint)
{
    [Function(nameof(CdsFeedbackCountsFunction))]
    public Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "cds-feedback")] HttpRequestData request,
        CancellationToken cancellationToken) =>
        ApiBridge.RunAsync(endpoint, request, new Dictionary<string, string>(), cancellationToken);
}
