using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace PrecisionMed.Api.Security;

/// <summary>
/// Verifies the caller's Entra ID access token itself, when <see cref="AuthoritySetting"/> and <see cref="AudienceSetting"/>
/// are set: a host without App Service authentication in front of it (<c>pmed serve --auth-authority</c>), or an app that
/// wants the token checked again behind it. The authority's OpenID Connect metadata names the issuer and its signing keys
/// (fetched once, refreshed daily and when a token names a key not yet known, as keys roll over); the token must be
/// signed with one of them (RSA or ECDSA: never <c>none</c>, never a shared secret), be for the audience, and be within its
/// lifetime. Its <c>roles</c> claim carries the app roles. A refusal says why in general terms, never quoting the token.
/// </summary>
public sealed class BearerTokenValidator
{
    public const string AuthoritySetting = "Api:Auth:Authority";
    public const string AudienceSetting = "Api:Auth:Audience";

    private static readonly string[] AsymmetricAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    private readonly ConfigurationManager<OpenIdConnectConfiguration>? _metadata;
    private readonly string? _audience;
    private readonly JsonWebTokenHandler _handler = new();

    public BearerTokenValidator(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var authority = configuration[AuthoritySetting];
        _audience = configuration[AudienceSetting];
        if (string.IsNullOrWhiteSpace(authority) || string.IsNullOrWhiteSpace(_audience)) return;
        if (!Uri.TryCreate(authority.TrimEnd('/'), UriKind.Absolute, out var issuer))
            throw new InvalidOperationException($"{AuthoritySetting} must be an absolute URL (the token issuer, e.g. https://login.microsoftonline.com/TENANT/v2.0).");
        // Plain HTTP only for an issuer on this machine (a local test issuer); anything else must be HTTPS.
        _metadata = new ConfigurationManager<OpenIdConnectConfiguration>(
            authority.TrimEnd('/') + "/.well-known/openid-configuration",
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever { RequireHttps = !issuer.IsLoopback });
    }

    /// <summary>Whether tokens are verified here (both settings are set).</summary>
    public bool Enabled => _metadata is not null;

    /// <summary>The caller's app roles, or why the token is refused (no token, not valid, expired, another audience).</summary>
    public async Task<TokenCheck> ValidateAsync(string? authorization, CancellationToken cancellationToken)
    {
        if (_metadata is null) throw new InvalidOperationException("Bearer tokens are not verified by this app: set " + AuthoritySetting + " and " + AudienceSetting + ".");
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || authorization.Length == scheme.Length)
            return TokenCheck.Refused("no bearer token was sent (Authorization: Bearer <Entra ID access token>)");
        var token = authorization[scheme.Length..].Trim();

        var result = await VerifyAsync(token, cancellationToken);
        if (result?.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // A key the cached metadata does not list yet: the issuer may have rolled its keys over.
            _metadata.RequestRefresh();
            result = await VerifyAsync(token, cancellationToken);
        }

        if (result is null) return TokenCheck.Refused("the token issuer's signing keys could not be fetched to verify the token; try again later");

        if (!result.IsValid) return TokenCheck.Refused(Reason(result.Exception));
        var roles = result.ClaimsIdentity.FindAll("roles").Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return TokenCheck.Accepted(roles);
    }

    /// <returns>Null when the issuer's metadata cannot be fetched.</returns>
    private async Task<TokenValidationResult?> VerifyAsync(string token, CancellationToken cancellationToken)
    {
        OpenIdConnectConfiguration metadata;
        try
        {
            metadata = await _metadata!.GetConfigurationAsync(cancellationToken);
        }
        catch (InvalidOperationException)
        {
            return null;
        }

        var parameters = new TokenValidationParameters
        {
            ValidIssuer = metadata.Issuer,
            ValidAudience = _audience,
            IssuerSigningKeys = metadata.SigningKeys,
            ValidAlgorithms = AsymmetricAlgorithms,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = TimeSpan.FromMinutes(2),
        };
        return await _handler.ValidateTokenAsync(token, parameters);
    }

    private static string Reason(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => "the bearer token has expired",
        SecurityTokenNotYetValidException => "the bearer token is not valid yet",
        SecurityTokenInvalidAudienceException => "the bearer token is not for this API (audience)",
        SecurityTokenInvalidIssuerException => "the bearer token is not from the trusted issuer",
        SecurityTokenInvalidAlgorithmException => "the bearer token is not signed with an accepted algorithm (RSA or ECDSA)",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "the bearer token's signature is not the trusted issuer's",
        _ => "the bearer token is not valid",
    };
}

/// <summary>A token's verdict: the caller's roles when accepted, else the reason it was refused.</summary>
public sealed record TokenCheck(IReadOnlySet<string>? Roles, string? Problem)
{
    public static TokenCheck Accepted(IReadOnlySet<string> roles) => new(roles, null);

    public static TokenCheck Refused(string problem) => new(null, problem);
}
