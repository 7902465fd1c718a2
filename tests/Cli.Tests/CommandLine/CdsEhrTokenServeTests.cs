using System.Net;
using System.Text.Json.Nodes;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Testing.Cds;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>
/// The EHR's JWT as EHRs send it, to <c>pmed serve</c> over real HTTP: a token with <c>nbf</c> (Epic's carry one, 5
/// minutes before <c>iat</c>, and live 15 minutes) is taken once <c>Cds__MaxTokenLifetime</c> allows its life; one whose
/// <c>nbf</c> is still to come is refused (RFC 7519: not to be accepted before it), as is an <c>nbf</c> that is no time.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class CdsEhrTokenServeTests(LocalStackFixture stack)
{
    private readonly string _database = "pmed-cli-cdsjwt-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task TokenWithNbf_TakenWhenPassed_RefusedBeforeIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var issuer = await TestCdsIssuer.StartAsync(cancellationToken: ct);
        await using var server = await PmedServer.StartAsync(
            new Dictionary<string, string> { ["Cds__TrustedIssuers"] = issuer.TrustedIssuersSetting, ["Cds__MaxTokenLifetime"] = "00:15:00" },
            ServeHostileInputTests.StackConnection(stack, _database));
        var url = new Uri(server.Api, ServeHostileInputTests.PgxService);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var body = ServeHostileInputTests.Utf8("""
            {"hook":"order-select","hookInstance":"7c3f1f7e-5b8e-4a55-9f3b-3c1d2a4b5c6d","context":{"userId":"Practitioner/example","patientId":"p-token",
             "selections":["MedicationRequest/mr-1"],"draftOrders":{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"MedicationRequest","id":"mr-1",
             "status":"draft","intent":"order","subject":{"reference":"Patient/p-token"},"medicationCodeableConcept":{"text":"acetaminophen 325 mg tablet"}}}]}}}
            """);

        var epic = await ServeHostileInputTests.PostAsync(server, url, body, issuer.Token(url, (h, c) =>
        {
            h["jku"] = issuer.Jwks.ToString();
            c["sub"] = "epic-cds-client";
            c["nbf"] = now - 300;
            c["exp"] = now + 900;
        }), ct);
        var notYet = await ServeHostileInputTests.PostAsync(server, url, body, issuer.Token(url, (_, c) => c["nbf"] = now + 600), ct);
        var notATime = await ServeHostileInputTests.PostAsync(server, url, body, issuer.Token(url, (_, c) => c["nbf"] = "soon"), ct);
        var run = await server.StopAsync();

        Assert.True(epic.Status == HttpStatusCode.OK, epic.Text);
        Assert.True(notYet.Status == HttpStatusCode.Unauthorized, notYet.Text);
        Assert.Equal("the JWT is not valid yet (nbf)", (string?)JsonNode.Parse(notYet.Text)!["error"]);
        Assert.True(notATime.Status == HttpStatusCode.Unauthorized, notATime.Text);
        Assert.Equal("the JWT's nbf is not a time in seconds", (string?)JsonNode.Parse(notATime.Text)!["error"]);
        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
    }
}
