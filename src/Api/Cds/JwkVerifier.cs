using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace PrecisionMed.Api.Cds;

/// <summary>
/// One key of an issuer's JWKS, decoded once when the set is fetched (RSA modulus and exponent, or an EC curve point),
/// with a few imported key objects kept for reuse: a hook call verifies its token without decoding or importing the key
/// again. A key object serves one verification at a time (the platform's crypto objects promise no more), so each
/// call takes one from the pool, or imports another when all are busy.
/// </summary>
internal sealed class JwkVerifier
{
    private const int Pooled = 8;

    private readonly RSAParameters? _rsa;
    private readonly ECParameters? _ec;
    private readonly ConcurrentBag<AsymmetricAlgorithm> _pool = [];

    private JwkVerifier(string? kid, RSAParameters? rsa, ECParameters? ec)
    {
        Kid = kid;
        _rsa = rsa;
        _ec = ec;
    }

    public string? Kid { get; }

    /// <summary>The key, or null when it is not an RSA or EC public key this service can verify with (it is then never a match).</summary>
    public static JwkVerifier? From(JsonObject jwk)
    {
        ArgumentNullException.ThrowIfNull(jwk);
        try
        {
            var kid = Text(jwk["kid"]);
            switch (Text(jwk["kty"]))
            {
                case "RSA" when Text(jwk["n"]) is { } n && Text(jwk["e"]) is { } e:
                    return new JwkVerifier(kid, new RSAParameters { Modulus = CdsJwtValidator.Base64Url(n), Exponent = CdsJwtValidator.Base64Url(e) }, null);
                case "EC" when Curve(Text(jwk["crv"])) is { } curve && Text(jwk["x"]) is { } x && Text(jwk["y"]) is { } y:
                    return new JwkVerifier(kid, null, new ECParameters { Curve = curve, Q = new ECPoint { X = CdsJwtValidator.Base64Url(x), Y = CdsJwtValidator.Base64Url(y) } });
                default:
                    return null;
            }
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="signature"/> over <paramref name="signed"/> verifies with this key under <paramref name="alg"/> (RS, PS or ES).</summary>
    public bool Verifies(string alg, HashAlgorithmName hash, ReadOnlySpan<byte> signed, ReadOnlySpan<byte> signature)
    {
        var family = alg[..2].ToUpperInvariant();
        if ((family is "RS" or "PS") != _rsa.HasValue || (family == "ES") != _ec.HasValue) return false;
        AsymmetricAlgorithm? key = null;
        try
        {
            key = _pool.TryTake(out var pooled) ? pooled : Import();
            var verified = key switch
            {
                RSA rsa => rsa.VerifyData(signed, signature, hash, family == "PS" ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1),
                ECDsa ec => ec.VerifyData(signed, signature, hash),
                _ => false,
            };
            if (_pool.Count < Pooled)
            {
                _pool.Add(key);
                key = null;
            }

            return verified;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return false;
        }
        finally
        {
            key?.Dispose();
        }
    }

    private AsymmetricAlgorithm Import() => _rsa is { } rsa ? RSA.Create(rsa) : ECDsa.Create(_ec!.Value);

    private static ECCurve? Curve(string? crv) => crv switch
    {
        "P-256" => ECCurve.NamedCurves.nistP256,
        "P-384" => ECCurve.NamedCurves.nistP384,
        "P-521" => ECCurve.NamedCurves.nistP521,
        _ => null,
    };

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
}
