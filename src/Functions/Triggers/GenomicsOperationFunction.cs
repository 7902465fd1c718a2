using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using PrecisionMed.Api.Genomics;

namespace PrecisionMed.Functions.Triggers;

/// <summary>The Functions host of <see cref="GenomicsOperationEndpoint"/>: <c>/api/genomics/$find-subject-variants</c> and the IG's other operations.</summary>
public sealed class GenomicsOperationFunction(GenomicsOperationEndpoint endpoint)
{
    [Function(nameof(GenomicsOperationFunction))]
    public Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", Route = "genomics/{operation}")] HttpRequestData request,
        string operation,
        CancellationToken cancellationToken) =>
        ApiBridge.RunAsync(endpoint, request, new Dictionary<string, string> { ["operation"] = operation }, cancellationToken);
}
