using System.Net;
using PrecisionMed.Core.Cds;

namespace PrecisionMed.Api.Cds;

/// <summary>
/// CDS Hooks discovery, <c>GET /api/cds-services</c>: the services (hook, id, title, description, prefetch,
/// usageRequirements). Open, as EHRs read it when they register the service: it holds nothing about anyone.
/// </summary>
public sealed class CdsDiscoveryEndpoint : IApiEndpoint
{
    public string Name => "CdsDiscoveryFunction";

    public IReadOnlyList<string> Methods { get; } = ["GET", "HEAD"];

    public string Route => "cds-services";

    public bool NeedsFunctionKey => false;

    public Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(ApiResponse.Json(HttpStatusCode.OK, new Discovery(CdsServiceCatalog.Services)));

    private sealed record Discovery(IReadOnlyList<CdsServiceDefinition> Services);
}
