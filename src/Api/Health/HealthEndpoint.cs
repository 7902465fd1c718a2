using System.Net;
using PrecisionMed.Core.Pipeline;

namespace PrecisionMed.Api.Health;

/// <summary><c>GET /api/health</c>: the app is up and says which version it runs.</summary>
public sealed class HealthEndpoint : IApiEndpoint
{
    public string Name => "HealthFunction";

    public IReadOnlyList<string> Methods { get; } = ["GET", "HEAD"];

    public string Route => "health";

    public bool NeedsFunctionKey => false;

    public Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(ApiResponse.Json(HttpStatusCode.OK, new HealthAnswer("ok", PipelineOptions.CurrentVersion)));

    private sealed record HealthAnswer(string Status, string Version);
}
