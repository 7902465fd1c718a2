using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using PrecisionMed.Api.Health;

namespace PrecisionMed.Functions.Triggers;

/// <summary>The Functions host of <see cref="HealthEndpoint"/>.</summary>
public sealed class HealthFunction(HealthEndpoint endpoint)
{
    [Function(nameof(HealthFunction))]
    public Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequestData request,
        CancellationToken cancellationToken) =>
        ApiBridge.RunAsync(endpoint, request, new Dictionary<string, string>(), cancellationToken);
}
