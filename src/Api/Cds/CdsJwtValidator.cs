using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Api.Cds;

/// <summary>
/// The CDS Hooks 2.0 rule for who may call: every request carries the EHR's JWT (<c>Authorization: Bearer</c>), signed
/// with an asymmetric key (RS/PS/ES 256, 384, 512; <c>none</c> and HMAC are refused) of an allow-listed issuer, found in
/// that issuer's JWKS (the configured URL; a <c>jku</c> header only when it is that URL), with <c>aud</c> the service's
/// URL, <c>exp</c> not passed, <c>iat</c> not in the future and at most <c>MaxTokenLifetime</c> before <c>exp</c>, an
/// <c>nbf</c> (when sent) passed, and a <c>jti</c> not seen before from that issuer (kept until the token expires, per
/// instance). The reason for a refusal is for the caller; it never quotes the token.
/// </summary>
internal sealed class CdsJwtValidator(TrustedIssuers issuers, JwksCache keys, TimeProvider clock, TimeSpan skew, TimeSpan maxLifetime)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private long _checks;

    /// <summary>Null when the token is accepted; else why not (answered 401).</summary>
    public async Task<string?> RefusalAsync(string? authorization, IReadOnlyList<Uri> serviceUrls, CancellationToken cancellationToken)
    {
        if (issuers.Count == 0) return "no EHR is trusted yet: Cds:TrustedIssuers is empty";
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return "a Bearer JWT is required (Authorization header)";
        var parts = authorization[7..].Trim().Split('.');
        if (parts.Length != 3) return "the bearer token is not a signed JWT (three parts)";
        byte[] headerJson, payloadJson, signature;
        try
        {
            headerJson = Base64Url(parts[0]);
            payloadJson = Base64Url(parts[1]);
            signature = Base64Url(parts[2]);
        }
        catch (FormatException)
        {
            return "the JWT's parts are not base64url";
        }

        // Strictly: a repeated claim or undecodable text is refused here, not met later as an exception (a 500 to anyone).
        if (StrictJson.ParseObject(headerJson, out var headerProblem) is not { } header) return $"the JWT's header must be a JSON object; it {headerProblem}";
        if (StrictJson.ParseObject(payloadJson, out var payloadProblem) is not { } payload) return $"the JWT's payload must be a JSON object; it {payloadProblem}";
        var alg = Text(header["alg"]);
        if (alg is null || alg.Equals("none", StringComparison.OrdinalIgnoreCase)) return "unsigned JWTs (alg none) are refused";
        if (alg.StartsWith("HS", StringComparison.OrdinalIgnoreCase)) return "HMAC-signed JWTs are refused: CDS Hooks needs the EHR's asymmetric key";
        if (HashOf(alg) is not { } hash) return $"JWT algorithm {Shorten(alg)} is not supported (RS, PS or ES with 256, 384 or 512)";

        var issuer = Text(payload["iss"]);
        if (issuer is null || issuers.JwksOf(issuer) is not { } jwks) return "the JWT's issuer is not on this service's allow-list";
        if (Text(header["jku"]) is { } jku && (!Uri.TryCreate(jku, UriKind.Absolute, out var jkuUri) || jkuUri != jwks))
            return "the JWT's jku is not its issuer's allow-listed JWKS URL";
        if (!Audiences(payload["aud"]).Any(a => serviceUrls.Any(u => SameUrl(a, u)))) return "the JWT's aud is not this service's URL";
        var now = clock.GetUtcNow();
        if (Seconds(payload["exp"]) is not { } exp) return "the JWT has no exp";
        if (Seconds(payload["iat"]) is not { } iat) return "the JWT has no iat";
        if (exp + skew < now) return "the JWT has expired";
        if (iat - skew > now) return "the JWT's iat is in the future";
        // RFC 7519 4.1.5: not accepted before its nbf (Epic's tokens carry one). Optional in CDS Hooks; checked when sent.
        if (payload["nbf"] is { } nbf)
        {
            if (Seconds(nbf) is not { } notBefore) return "the JWT's nbf is not a time in seconds";
            if (notBefore - skew > now) return "the JWT is not valid yet (nbf)";
        }

        if (exp - iat > maxLifetime + skew) return $"the JWT lives longer than {maxLifetime.TotalMinutes:0} minutes";
        if (Text(payload["jti"]) is not { } jti) return "the JWT has no jti";

        IReadOnlyList<JwkVerifier> candidates;
        try
        {
            var kid = Text(header["kid"]);
            candidates = [.. (await keys.KeysAsync(jwks, kid, cancellationToken)).Where(k => kid is null || k.Kid == kid)];
        }
        catch (Exception ex) when (ex is JwksUnavailableException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return "the issuer's JWKS could not be read";
        }

        var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        if (!candidates.Any(k => k.Verifies(alg, hash, signed, signature))) return "the JWT's signature does not verify with the issuer's keys";

        PruneReplayCache(now);
        if (!_seen.TryAdd($"{issuer}\u001f{jti}", exp + skew)) return "the JWT's jti was used before (replay)";
        return null;
    }

    private void PruneReplayCache(DateTimeOffset now)
    {
        if (Interlocked.Increment(ref _checks) % 256 != 0) return;
        foreach (var (key, expires) in _seen)
        {
            if (expires < now) _seen.TryRemove(key, out _);
        }
    }

    private static HashAlgorithmName? HashOf(string alg) => alg.ToUpperInvariant() switch
    {
        "RS256" or "PS256" or "ES256" => HashAlgorithmName.SHA256,
        "RS384" or "PS384" or "ES384" => HashAlgorithmName.SHA384,
        "RS512" or "PS512" or "ES512" => HashAlgorithmName.SHA512,
        _ => null,
    };

    private static IEnumerable<string> Audiences(JsonNode? aud) => aud switch
    {
        JsonArray list => list.Select(Text).OfType<string>(),
        _ => Text(aud) is { } one ? [one] : [],
    };

    private static bool SameUrl(string audience, Uri serviceUrl) =>
        Uri.TryCreate(audience, UriKind.Absolute, out var a)
        && string.Equals(a.GetLeftPart(UriPartial.Path).TrimEnd('/'), serviceUrl.GetLeftPart(UriPartial.Path).TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    private static DateTimeOffset? Seconds(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<double>(out var seconds) && double.IsFinite(seconds) && Math.Abs(seconds) < 1e11
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
            : null;

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    private static string Shorten(string text) => text.Length <= 12 ? text : text[..12] + "…";

    internal static byte[] Base64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", 0 => string.Empty, _ => throw new FormatException("not base64url") };
        return Convert.FromBase64String(padded);
    }
}
