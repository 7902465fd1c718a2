using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using PrecisionMed.Core.Pipeline;

namespace PrecisionMed.Functions.Triggers;

/// <summary><c>GET /api/health</c>: the app is up and says which version it runs.</summary>
public sealed class HealthFunction
{
    [Function(nameof(HealthFunction))]
    public async Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var response = request.CreateResponse(HttpStatusCode.OK);
        response.Headers.Add("Content-Type", "application/json; charset=utf-8");
        await response.WriteStringAsync($$"""{"status":"ok","version":"{{PipelineOptions.CurrentVersion}}"}""", cancellationToken);
        return response;
    }
}
