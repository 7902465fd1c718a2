using System.Net;
using Microsoft.Extensions.Options;
using PrecisionMed.Core.Cds;

namespace PrecisionMed.Api.Cds;

/// <summary>
/// Checks the caller of a CDS service (<see cref="CdsJwtValidator"/>) against the service's URL: the configured public
/// base (behind a proxy) or the URL the request reached.
/// </summary>
internal sealed class CdsCaller(CdsJwtValidator validator, IOptions<CdsOptions> options)
{
    public async Task<ApiResponse?> RefusalAsync(ApiRequest request, string serviceId, CancellationToken cancellationToken)
    {
        var urls = new List<Uri>();
        var relative = $"cds-services/{Uri.EscapeDataString(serviceId)}";
        if (options.Value.PublicBaseUrl is { } publicBase) urls.Add(new Uri(new Uri(publicBase.ToString().TrimEnd('/') + "/"), relative));
        if (request.Url is { } url)
        {
            var path = url.GetLeftPart(UriPartial.Path);
            var at = path.IndexOf("/cds-services/", StringComparison.Ordinal);
            if (at >= 0) urls.Add(new Uri(path[..at] + "/" + relative));
        }

        var refusal = await validator.RefusalAsync(request.Header("Authorization"), urls, cancellationToken);
        return refusal is null ? null : ApiResponse.Error(HttpStatusCode.Unauthorized, refusal);
    }
}
