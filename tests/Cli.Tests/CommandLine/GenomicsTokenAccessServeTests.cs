using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Testing.Security;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>
/// The Genomics operations behind Entra ID tokens, over real HTTP: <c>pmed serve --auth-authority --auth-audience</c>
/// verifying tokens from a local issuer (<see cref="LocalTokenIssuer"/>: OpenID Connect metadata and JWKS on loopback),
/// as App Service authentication would in Azure. Subject operations need Genomics.Read, population ones
/// Genomics.Population; anything but a valid token of the issuer for this audience is 401, a valid one without the role 403.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class GenomicsTokenAccessServeTests(LocalStackFixture stack)
{
    private const string Audience = "api://precisionmed-genomics-test";
    private const string Subject = "genomics/$find-subject-variants?subject=Patient/nobody&ranges=NC_000005.10:1-2";
    private const string Population = "genomics/$find-population-specific-variants?variants=NC_000005.10:112841058:T:A";

    [Fact]
    public async Task Tokens_FromTheTrustedIssuer_RolesDecide_AnythingElseIs401()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var issuer = await LocalTokenIssuer.StartAsync(ct);
        await using var server = await PmedServer.StartAsync(
            "--port", "0", "--storage", stack.Stack.AzuriteConnectionString, "--fhir", stack.Stack.FhirBaseUrl.ToString(),
            "--cosmos", stack.Stack.CosmosEndpoint.ToString(), "--cosmos-key", stack.Stack.CosmosKey, "--database", "pmed-cli-token-" + Guid.NewGuid().ToString("N")[..10],
            "--auth-authority", issuer.Issuer, "--auth-audience", Audience);

        // A reader: subject operations answer (404: no such patient, so past the role check), population ones are 403.
        var reader = issuer.Token(Audience, ["Genomics.Read"]);
        var allowed = await CallAsync(server, Subject, reader, ct);
        Assert.True(allowed.Status == HttpStatusCode.NotFound, $"{(int)allowed.Status} {allowed.Body}\n{(allowed.Status == HttpStatusCode.NotFound ? "" : await server.StopAsync())}");
        var forbidden = await CallAsync(server, Population, reader, ct);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Status);
        Assert.Contains("Genomics.Population", forbidden.Body, StringComparison.Ordinal);

        var researcher = issuer.Token(Audience, ["Genomics.Population"]);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, Population, researcher, ct));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(server, Subject, researcher, ct));

        // Not the issuer's valid token for this API: all 401, each with an OperationOutcome saying why in general terms.
        using var otherKey = RSA.Create(2048);
        var refused = new Dictionary<string, string?>
        {
            ["no token"] = null,
            ["expired"] = issuer.Token(Audience, ["Genomics.Read"], lifetime: TimeSpan.FromMinutes(-10)),
            ["another audience"] = issuer.Token("api://someone-else", ["Genomics.Read"]),
            ["another issuer"] = issuer.Token(Audience, ["Genomics.Read"], issuer: "https://login.example.org/other/v2.0"),
            ["another key"] = issuer.Token(Audience, ["Genomics.Read"], signingKey: otherKey),
            ["alg none"] = issuer.UnsignedToken(Audience, ["Genomics.Read"]),
            ["HMAC with the public key"] = issuer.HmacToken(Audience, ["Genomics.Read"]),
            ["not a JWT"] = "banana",
        };
        foreach (var (kind, token) in refused)
        {
            var answer = await CallAsync(server, Subject, token, ct);
            Assert.True(answer.Status == HttpStatusCode.Unauthorized, $"{kind}: {(int)answer.Status} {answer.Body}");
            Assert.Equal("OperationOutcome", (string?)JsonNode.Parse(answer.Body)?["resourceType"]);
            if (token is not null) Assert.DoesNotContain(token, answer.Body, StringComparison.Ordinal);
        }

        var run = await server.StopAsync();
        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        Assert.DoesNotContain(reader, run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthorityWithoutAudience_IsAUsageError()
    {
        var run = await Pmed.RunAsync(["serve", "--port", "0", "--cosmos", "http://127.0.0.1:1/", "--storage", "UseDevelopmentStorage=true", "--auth-authority", "https://login.example.org/t/v2.0"]);

        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.Contains("--auth-audience", run.Stderr, StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> StatusAsync(PmedServer server, string path, string? token, CancellationToken ct) =>
        (await CallAsync(server, path, token, ct)).Status;

    private static async Task<(HttpStatusCode Status, string Body)> CallAsync(PmedServer server, string path, string? token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await server.Http.SendAsync(request, ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(ct));
    }
}
