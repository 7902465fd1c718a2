using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Testing.Cds;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>
/// A request body sent compressed (<c>Content-Encoding: gzip</c>, as an HTTP client set to compress sends it) to
/// <c>pmed serve</c> over real HTTP: 415 saying to send it uncompressed, with <c>Accept-Encoding: identity</c> (RFC 9110
/// 15.5.16), before any endpoint reads it; not a 400 saying the (compressed) body is not JSON.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class ServeCompressedBodyTests(LocalStackFixture stack)
{
    private readonly string _database = "pmed-cli-gzip-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task GzipBody_Answers415NamingContentEncoding_IdentityStillAnswered()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var issuer = await TestCdsIssuer.StartAsync(cancellationToken: ct);
        await using var server = await ServeHostileInputTests.StartTrustingAsync(issuer, stack, _database);
        var url = new Uri(server.Api, ServeHostileInputTests.PgxService);
        var hook = ServeHostileInputTests.Utf8("""
            {"hook":"order-select","hookInstance":"0f8e2c4a-3b1d-4e5f-8a9b-1c2d3e4f5a6b","context":{"userId":"Practitioner/example","patientId":"p-gzip",
             "selections":["MedicationRequest/mr-1"],"draftOrders":{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"MedicationRequest","id":"mr-1",
             "status":"draft","intent":"order","medicationCodeableConcept":{"text":"acetaminophen 325 mg tablet"}}}]}}}
            """);

        var (gzip, gzipText, accept) = await PostAsync(server, url, Gzip(hook), "gzip", issuer.Token(url), ct);
        var (identity, identityText, _) = await PostAsync(server, url, hook, "identity", issuer.Token(url), ct);
        var run = await server.StopAsync();

        Assert.True(gzip == HttpStatusCode.UnsupportedMediaType, gzipText);
        Assert.Equal("The request body's Content-Encoding is not accepted; send the body uncompressed.", (string?)JsonNode.Parse(gzipText)!["error"]);
        Assert.Equal("identity", accept);
        Assert.True(identity == HttpStatusCode.OK, identityText);
        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
    }

    private static byte[] Gzip(byte[] body)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest)) gzip.Write(body);
        return compressed.ToArray();
    }

    private static async Task<(HttpStatusCode Status, string Text, string? AcceptEncoding)> PostAsync(
        PmedServer server, Uri url, byte[] body, string encoding, string token, CancellationToken ct)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add(encoding);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await server.Http.SendAsync(request, ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(ct),
            response.Headers.TryGetValues("Accept-Encoding", out var values) ? string.Join(",", values) : null);
    }
}
