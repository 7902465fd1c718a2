using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PrecisionMed.Testing.Security;

/// <summary>
/// A token issuer on loopback (Kestrel, port 0), shaped as Entra ID is to a resource API: OpenID Connect metadata at
/// <c>{issuer}/.well-known/openid-configuration</c> naming its JWKS, and RS256 access tokens carrying <c>iss</c>, <c>aud</c>,
/// <c>exp</c>/<c>nbf</c>/<c>iat</c> and the app <c>roles</c>. It can also sign what a real issuer never would (another key,
/// <c>alg: none</c>, HMAC), so tests can show those refused. The key is made per instance and never leaves the process.
/// </summary>
public sealed class LocalTokenIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RSA _key = RSA.Create(2048);
    private readonly string _keyId = "test-" + Guid.NewGuid().ToString("N")[..8];

    private LocalTokenIssuer(WebApplication app) => _app = app;

    /// <summary>The issuer (<c>iss</c>) and authority URL, without a trailing slash.</summary>
    public string Issuer => _app.Urls.First().TrimEnd('/');

    public static async Task<LocalTokenIssuer> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var issuer = new LocalTokenIssuer(app);
        app.MapGet("/.well-known/openid-configuration", (HttpContext context) => Json(context, new JsonObject
        {
            ["issuer"] = issuer.Issuer,
            ["jwks_uri"] = issuer.Issuer + "/discovery/keys",
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        }));
        app.MapGet("/discovery/keys", (HttpContext context) => Json(context, new JsonObject { ["keys"] = new JsonArray(issuer.PublicJwk()) }));
        await app.StartAsync(cancellationToken);
        return issuer;
    }

    /// <summary>An RS256 access token for <paramref name="audience"/> with <paramref name="roles"/>, valid from a minute ago for <paramref name="lifetime"/> (an hour).</summary>
    public string Token(string audience, IEnumerable<string> roles, TimeSpan? lifetime = null, string? issuer = null, RSA? signingKey = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var end = now + (long)(lifetime ?? TimeSpan.FromHours(1)).TotalSeconds;
        var payload = Claims(audience, roles, issuer ?? Issuer, now - 60, end);
        var header = new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = _keyId };
        var signed = Base64Url(header) + "." + Base64Url(payload);
        var signature = (signingKey ?? _key).SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signed + "." + Base64Url(signature);
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with the same claims: no issuer's signature at all.</summary>
    public string UnsignedToken(string audience, IEnumerable<string> roles)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return Base64Url(new JsonObject { ["alg"] = "none", ["typ"] = "JWT" }) + "." + Base64Url(Claims(audience, roles, Issuer, now - 60, now + 3600)) + ".";
    }

    /// <summary>An HS256 token keyed with the issuer's public modulus: the classic algorithm-confusion forgery.</summary>
    public string HmacToken(string audience, IEnumerable<string> roles)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var signed = Base64Url(new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT", ["kid"] = _keyId }) + "."
            + Base64Url(Claims(audience, roles, Issuer, now - 60, now + 3600));
        var secret = _key.ExportParameters(false).Modulus!;
        return signed + "." + Base64Url(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signed)));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _key.Dispose();
    }

    private static JsonObject Claims(string audience, IEnumerable<string> roles, string issuer, long notBefore, long expires) => new()
    {
        ["iss"] = issuer,
        ["aud"] = audience,
        ["sub"] = "test-caller",
        ["iat"] = notBefore,
        ["nbf"] = notBefore,
        ["exp"] = expires,
        ["roles"] = new JsonArray([.. roles.Select(r => (JsonNode)r)]),
    };

    private JsonObject PublicJwk()
    {
        var parameters = _key.ExportParameters(false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["kid"] = _keyId,
            ["n"] = Base64Url(parameters.Modulus!),
            ["e"] = Base64Url(parameters.Exponent!),
        };
    }

    private static Task Json(HttpContext context, JsonObject body)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString());
    }

    private static string Base64Url(JsonObject json) => Base64Url(Encoding.UTF8.GetBytes(json.ToJsonString(new JsonSerializerOptions())));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
