using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using PrecisionMed.Api.Cds;

namespace PrecisionMed.Functions.Triggers;

/// <summary>The Functions host of <see cref="CdsFeedbackEndpoint"/>: <c>POST /api/cds-services/{id}/feedback</c>, JWT-checked like the service.</summary>
public sealed class CdsFeedbackFunction(CdsFeedbackEndpoint endpoint)
{
    [Function(nameof(CdsFeedbackFunction))]
    public Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cds-services/{id}/feedback")] HttpRequestData request,
        string id,
        CancellationToken cancellationToken) =>
        ApiBridge.RunAsync(endpoint, request, new Dictionary<string, string> { ["id"] = id }, cancellationToken);
}
