using System.Net.Http.Headers;
using Azure.Core;

namespace PrecisionMed.Adapters.Fhir;

/// <summary>Adds an Entra ID bearer token for the FHIR service (scope <c>{BaseUrl}/.default</c>), cached until near expiry.</summary>
internal sealed class EntraTokenHandler(TokenCredential credential, string scope) : DelegatingHandler
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private AccessToken _token;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }

    private async Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        if (_token.ExpiresOn > DateTimeOffset.UtcNow.AddMinutes(5)) return _token.Token;
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_token.ExpiresOn <= DateTimeOffset.UtcNow.AddMinutes(5))
                _token = await credential.GetTokenAsync(new TokenRequestContext([scope]), cancellationToken);
            return _token.Token;
        }
        finally
        {
            _lock.Release();
        }
    }
}
