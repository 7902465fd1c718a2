using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using PrecisionMed.Api.Cds;

namespace PrecisionMed.Functions.Triggers;

/// <summary>
/// The Functions host of <see cref="CdsServiceEndpoint"/>: <c>POST /api/cds-services/{id}</c>. No function key: the EHR
/// proves itself with its JWT, which the endpoint checks.
/// </summary>
public sealed class CdsServiceFunction(CdsServiceEndpoint endpoint)
{
    [Function(nameof(CdsServiceFunction))]
    public Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cds-services/{id}")] HttpRequestData request,
        string id,
        CancellationToken cancellationToken) =>
        ApiBridge.RunAsync(endpoint, request, new Dictionary<string, string> { ["id"] = id }, cancellationToken);
}
