using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using PrecisionMed.Api.Knowledge;

namespace PrecisionMed.Functions.Triggers;

/// <summary>The Functions host of <see cref="ReinterpretationStatusEndpoint"/>.</summary>
public sealed class ReinterpretationStatusFunction(ReinterpretationStatusEndpoint endpoint)
{
    [Function(nameof(ReinterpretationStatusFunction))]
    public Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "reinterpretations")] HttpRequestData request,
        CancellationToken cancellationToken) =>
        ApiBridge.RunAsync(endpoint, request, new Dictionary<string, string>(), cancellationToken);
}
