using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using PrecisionMed.Api.Files;

namespace PrecisionMed.Functions.Triggers;

/// <summary>The Functions host of <see cref="FileListEndpoint"/>.</summary>
public sealed class FileListFunction(FileListEndpoint endpoint)
{
    [Function(nameof(FileListFunction))]
    public Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "files")] HttpRequestData request,
        CancellationToken cancellationToken) =>
        ApiBridge.RunAsync(endpoint, request, new Dictionary<string, string>(), cancellationToken);
}
