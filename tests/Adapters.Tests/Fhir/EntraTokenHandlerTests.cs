using System.Net;
using Azure.Core;
using PrecisionMed.Adapters.Fhir;
using Xunit;

namespace PrecisionMed.Adapters.Tests.Fhir;

/// <summary>The FHIR writer's Entra ID token: asked for the service's <c>/.default</c> scope, sent as a bearer, cached until near expiry.</summary>
[Trait("Tier", "Fast")]
public sealed class EntraTokenHandlerTests
{
    private const string Scope = "https://ws-pmed-fhir.fhir.azurehealthcareapis.com/.default";

    [Fact]
    public async Task SendAsync_TwoRequests_OneTokenForTheScopeSentAsBearerOnBoth()
    {
        var credential = new CountingCredential(TimeSpan.FromHours(1));
        var seen = new List<string?>();
        using var client = Client(credential, seen);

        await client.GetAsync(new Uri("https://fhir.example/metadata"), TestContext.Current.CancellationToken);
        await client.GetAsync(new Uri("https://fhir.example/metadata"), TestContext.Current.CancellationToken);

        Assert.Equal(1, credential.Calls);
        Assert.Equal([Scope], credential.Scopes.Distinct());
        Assert.Equal(["Bearer token-1", "Bearer token-1"], seen);
    }

    [Fact]
    public async Task SendAsync_TokenAboutToExpire_NewTokenFetched()
    {
        // Within the five-minute margin: every request fetches a fresh one rather than sending one that may lapse.
        var credential = new CountingCredential(TimeSpan.FromMinutes(2));
        var seen = new List<string?>();
        using var client = Client(credential, seen);

        await client.GetAsync(new Uri("https://fhir.example/metadata"), TestContext.Current.CancellationToken);
        await client.GetAsync(new Uri("https://fhir.example/metadata"), TestContext.Current.CancellationToken);

        Assert.Equal(2, credential.Calls);
        Assert.Equal(["Bearer token-1", "Bearer token-2"], seen);
    }

    private static HttpClient Client(TokenCredential credential, List<string?> seen) =>
        new(new EntraTokenHandler(credential, Scope) { InnerHandler = new RecordingHandler(seen) });

    private sealed class RecordingHandler(List<string?> seen) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Add(request.Headers.Authorization?.ToString());
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }

    private sealed class CountingCredential(TimeSpan lifetime) : TokenCredential
    {
        public int Calls { get; private set; }

        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Calls++;
            Scopes.AddRange(requestContext.Scopes);
            return ValueTask.FromResult(new AccessToken($"token-{Calls}", DateTimeOffset.UtcNow.Add(lifetime)));
        }
    }
}
