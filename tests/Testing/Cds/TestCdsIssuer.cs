using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PrecisionMed.Testing.Cds;

/// <summary>
/// An EHR as a CDS service sees it: an RSA key generated here, its JWKS served over loopback HTTP (Kestrel, port 0), and
/// JWTs signed with it as CDS Hooks 2.0 asks (<c>iss</c>, <c>sub</c>, <c>aud</c>, <c>exp</c>, <c>iat</c>, <c>jti</c>;
/// header <c>kid</c>, <c>typ: JWT</c>), plus the malformed and hostile tokens the service must refuse.
/// </summary>
public sealed class TestCdsIssuer : IAsyncDisposable
{
    public const string Kid = "test-ehr-key-1";
    private readonly RSA _key = RSA.Create(2048);
    private WebApplication? _app;
    private int _jwksRequests;

    private TestCdsIssuer(string issuer) => Issuer = issuer;

    public string Issuer { get; }

    /// <summary>The token the EHR's FHIR server (<see cref="Fhir"/>) accepts: sent as <c>fhirAuthorization</c>.</summary>
    public const string FhirToken = "ehr-fhir-access-token";

    /// <summary>The EHR's FHIR server, serving <see cref="FhirResources"/> by <c>Type/id</c> to <see cref="FhirToken"/> only.</summary>
    public Uri Fhir => new(Jwks, "/fhir");

    public System.Collections.Concurrent.ConcurrentDictionary<string, JsonObject> FhirResources { get; } = new(StringComparer.Ordinal);

    public System.Collections.Concurrent.ConcurrentBag<string> FhirAuthorizations { get; } = [];

    public Uri Jwks { get; private set; } = null!;

    public int JwksRequests => _jwksRequests;

    /// <summary>The app setting that trusts this issuer: <c>issuer|jwks-url</c>.</summary>
    public string TrustedIssuersSetting => $"{Issuer}|{Jwks}";

    public static async Task<TestCdsIssuer> StartAsync(string issuer = "https://ehr.example.org", CancellationToken cancellationToken = default)
    {
        var test = new TestCdsIssuer(issuer);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(async context =>
        {
            if (context.Request.Path.StartsWithSegments("/fhir", out var rest))
            {
                test.FhirAuthorizations.Add(context.Request.Headers.Authorization.ToString());
                if (context.Request.Headers.Authorization.ToString() != $"Bearer {FhirToken}")
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return;
                }

                if (!test.FhirResources.TryGetValue(rest.Value!.TrimStart('/'), out var resource))
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }

                context.Response.ContentType = "application/fhir+json";
                await context.Response.WriteAsync(resource.ToJsonString(), context.RequestAborted);
                return;
            }

            Interlocked.Increment(ref test._jwksRequests);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(test.JwksJson(), context.RequestAborted);
        });
        await app.StartAsync(cancellationToken);
        test._app = app;
        test.Jwks = new Uri(new Uri(app.Urls.First()), "/.well-known/jwks.json");
        return test;
    }

    public string JwksJson()
    {
        var p = _key.ExportParameters(false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA", ["kid"] = Kid, ["use"] = "sig", ["alg"] = "RS384",
                ["n"] = Base64Url(p.Modulus!), ["e"] = Base64Url(p.Exponent!),
            }),
        }.ToJsonString();
    }

    /// <summary>A valid token for the service at <paramref name="audience"/>; <paramref name="change"/> edits header and claims first.</summary>
    public string Token(Uri audience, Action<JsonObject, JsonObject>? change = null, string alg = "RS384", RSA? signWith = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new JsonObject { ["alg"] = alg, ["typ"] = "JWT", ["kid"] = Kid };
        var claims = new JsonObject
        {
            ["iss"] = Issuer, ["sub"] = "test-ehr-client", ["aud"] = audience.ToString(),
            ["exp"] = now + 240, ["iat"] = now, ["jti"] = Guid.NewGuid().ToString(),
        };
        change?.Invoke(header, claims);
        var signed = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var hash = (string?)header["alg"] switch { "RS256" => HashAlgorithmName.SHA256, "RS512" => HashAlgorithmName.SHA512, _ => HashAlgorithmName.SHA384 };
        var signature = (signWith ?? _key).SignData(Encoding.ASCII.GetBytes(signed), hash, RSASignaturePadding.Pkcs1);
        return signed + "." + Base64Url(signature);
    }

    /// <summary>An unsigned token (<c>alg: none</c>, empty signature).</summary>
    public string UnsignedToken(Uri audience)
    {
        var valid = Token(audience, (h, _) => h["alg"] = "none").Split('.');
        return valid[0] + "." + valid[1] + ".";
    }

    /// <summary>A token signed with HMAC over the JWKS's public modulus (the classic key-confusion attack).</summary>
    public string HmacToken(Uri audience)
    {
        var valid = Token(audience, (h, _) => h["alg"] = "HS256").Split('.');
        var signed = valid[0] + "." + valid[1];
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(JwksJson()), Encoding.ASCII.GetBytes(signed));
        return signed + "." + Base64Url(signature);
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        _key.Dispose();
    }
}
