using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using PrecisionMed.Api.Files;

namespace PrecisionMed.Functions.Triggers;

/// <summary>The Functions host of <see cref="FileReplayEndpoint"/>.</summary>
public sealed class FileReplayFunction(FileReplayEndpoint endpoint)
{
    [Function(nameof(FileReplayFunction))]
    public Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "files/{fileId}/replay")] HttpRequestData request,
        string fileId,
        CancellationToken cancellationToken) =>
        ApiBridge.RunAsync(endpoint, request, new Dictionary<string, string> { ["fileId"] = fileId }, cancellationToken);
}
