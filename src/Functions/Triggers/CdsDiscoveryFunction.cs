using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using PrecisionMed.Api.Cds;

namespace PrecisionMed.Functions.Triggers;

/// <summary>The Functions host of <see cref="CdsDiscoveryEndpoint"/>: <c>GET /api/cds-services</c>, open (EHRs register from it).</summary>
public sealed class CdsDiscoveryFunction(CdsDiscoveryEndpoint endpoint)
{
    [Function(nameof(CdsDiscoveryFunction))]
    public Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "cds-services")] HttpRequestData request,
        CancellationToken cancellationToken) =>
        ApiBridge.RunAsync(endpoint, request, new Dictionary<string, string>(), cancellationToken);
}
