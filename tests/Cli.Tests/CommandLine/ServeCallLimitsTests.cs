using System.Net;
using System.Text.Json.Nodes;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Core.Cds;
using PrecisionMed.Core.Cds.Feedback;
using PrecisionMed.Testing.Cds;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>
/// <c>pmed serve</c> on the local stack called over real HTTP with more in one call than a call may carry: feedback items
/// (each a Cosmos DB write) and draft orders or selections (each a lookup). The call is refused whole with a 400 naming
/// the field and its limit, before any write or lookup, and quoting nothing the call sent.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class ServeCallLimitsTests(LocalStackFixture stack)
{
    private const string PgxService = ServeHostileInputTests.PgxService;

    private readonly string _database = "pmed-cli-limits-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Serve_FeedbackOrDraftOrdersPastTheLimit_Answers400NamingTheLimit_StoresAndLooksUpNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var issuer = await TestCdsIssuer.StartAsync(cancellationToken: ct);
        await using var server = await PmedServer.StartAsync(
            new Dictionary<string, string> { ["Cds__TrustedIssuers"] = issuer.TrustedIssuersSetting }, ServeHostileInputTests.StackConnection(stack, _database));
        var item = $$"""{"card":"{{ServeHostileInputTests.Card}}","outcome":"accepted","outcomeTimestamp":"2026-12-06T09:30:00Z"}""";
        var order = """{"resource":{"resourceType":"MedicationRequest","id":"mr1","status":"draft","intent":"order","medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"32968"}]}}}""";
        string Hook(int orders, int selections) =>
            $$$"""{"hook":"order-select","hookInstance":"h-1","context":{"userId":"Practitioner/u","patientId":"p-limits","draftOrders":{"resourceType":"Bundle","entry":[{{{string.Join(',', Enumerable.Repeat(order, orders))}}}]},"selections":[{{{string.Join(',', Enumerable.Repeat("\"MedicationRequest/mr1\"", selections))}}}]}}""";

        var cases = new (string Label, string Path, string Body, string Error)[]
        {
            ("3,000 feedback items", PgxService + "/feedback", $$"""{"feedback":[{{string.Join(',', Enumerable.Repeat(item, 3_000))}}]}""",
                $"feedback holds at most {CdsFeedbackReader.MaxItems} items a call; send the rest in further calls"),
            ("one item past the limit", PgxService + "/feedback", $$"""{"feedback":[{{string.Join(',', Enumerable.Repeat(item, CdsFeedbackReader.MaxItems + 1))}}]}""",
                $"feedback holds at most {CdsFeedbackReader.MaxItems} items a call; send the rest in further calls"),
            ("20,000 draft orders", PgxService, Hook(20_000, 1), $"context.draftOrders holds at most {DraftOrders.MaxOrders} entries a call"),
            ("20,000 selections", PgxService, Hook(1, 20_000), $"context.selections holds at most {DraftOrders.MaxOrders} references a call"),
        };
        foreach (var (label, path, body, error) in cases)
        {
            var (status, text) = await ServeHostileInputTests.PostAsync(
                server, new Uri(server.Api, path), ServeHostileInputTests.Utf8(body), issuer.Token(new Uri(server.Api, PgxService)), ct);
            Assert.True(status == HttpStatusCode.BadRequest, $"{label}: {(int)status} {text}");
            Assert.Equal(error, (string?)JsonNode.Parse(text)!["error"]);
        }

        // At the limit: answered (the orders are the same drug, looked up once).
        var atLimit = await ServeHostileInputTests.PostAsync(
            server, new Uri(server.Api, PgxService), ServeHostileInputTests.Utf8(Hook(DraftOrders.MaxOrders, 1)), issuer.Token(new Uri(server.Api, PgxService)), ct);
        var counts = await server.Http.GetStringAsync("cds-feedback", ct);
        var run = await server.StopAsync();

        Assert.True(atLimit.Status == HttpStatusCode.OK, atLimit.Text);
        Assert.Empty(JsonNode.Parse(counts)!["feedback"]!.AsArray()); // nothing of the refused calls was stored
        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        Assert.DoesNotContain(" failed", run.Stderr, StringComparison.Ordinal);
    }
}
