using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using PrecisionMed.Api.Files;

namespace PrecisionMed.Functions.Triggers;

/// <summary>The Functions host of <see cref="FileStatusEndpoint"/>.</summary>
public sealed class FileStatusFunction(FileStatusEndpoint endpoint)
{
    [Function(nameof(FileStatusFunction))]
    public Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "files/{fileId}")] HttpRequestData request,
        string fileId,
        CancellationToken cancellationToken) =>
        ApiBridge.RunAsync(endpoint, request, new Dictionary<string, string> { ["fileId"] = fileId }, cancellationToken);
}
