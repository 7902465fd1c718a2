using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using PrecisionMed.Api.Cds;
using PrecisionMed.Testing.Cds;

namespace PrecisionMed.Functions.Tests.Cds;

/// <summary>
/// The issuer keys decoded once and their key objects reused: many verifications at once with one key all verify (each
/// key object serves one at a time), a signature over other content or from another key does not, the algorithm family
/// must be the key's, and a JWK that is not an RSA or EC public key is no key.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class JwkVerifierTests
{
    [Fact]
    public async Task OneKey_ManyVerificationsAtOnce_AllVerify_AndForgeriesDoNot()
    {
        using var rsa = RSA.Create(2048);
        using var other = RSA.Create(2048);
        var verifier = JwkVerifier.From(Jwk(rsa))!;
        var signed = Encoding.ASCII.GetBytes("header.payload");
        var signature = rsa.SignData(signed, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1);

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => verifier.Verifies("RS384", HashAlgorithmName.SHA384, signed, signature), TestContext.Current.CancellationToken)));

        Assert.All(results, Assert.True);
        Assert.Equal("k1", verifier.Kid);
        Assert.False(verifier.Verifies("RS384", HashAlgorithmName.SHA384, Encoding.ASCII.GetBytes("header.tampered"), signature));
        Assert.False(verifier.Verifies("RS384", HashAlgorithmName.SHA384, signed, other.SignData(signed, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1)));
        Assert.False(verifier.Verifies("ES384", HashAlgorithmName.SHA384, signed, signature));
    }

    [Fact]
    public void EcKey_Verifies_AndNonKeysAreNone()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = ec.ExportParameters(false);
        var verifier = JwkVerifier.From(new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = TestCdsIssuer.Base64Url(p.Q.X!), ["y"] = TestCdsIssuer.Base64Url(p.Q.Y!) })!;
        var signed = Encoding.ASCII.GetBytes("header.payload");

        Assert.True(verifier.Verifies("ES256", HashAlgorithmName.SHA256, signed, ec.SignData(signed, HashAlgorithmName.SHA256)));
        Assert.Null(JwkVerifier.From(new JsonObject { ["kty"] = "oct", ["k"] = "c2VjcmV0" }));
        Assert.Null(JwkVerifier.From(new JsonObject { ["kty"] = "RSA", ["n"] = "not base64url!", ["e"] = "AQAB" }));
    }

    private static JsonObject Jwk(RSA rsa)
    {
        var p = rsa.ExportParameters(false);
        return new JsonObject { ["kty"] = "RSA", ["kid"] = "k1", ["n"] = TestCdsIssuer.Base64Url(p.Modulus!), ["e"] = TestCdsIssuer.Base64Url(p.Exponent!) };
    }
}
