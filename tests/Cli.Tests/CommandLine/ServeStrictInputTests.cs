using System.Net;
using System.Text.Json.Nodes;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Testing.Cds;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>
/// <c>pmed serve</c> on the local stack called over real HTTP with values a lenient parser would take: a signed page size, a
/// parameter given twice, an include naming nothing, a timestamp that is no ISO 8601 instant, a patient id of dots. Each
/// is a 400 naming the field and why, never read as something else.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class ServeStrictInputTests(LocalStackFixture stack)
{
    private readonly string _database = "pmed-cli-strict-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Serve_LenientlyReadableQueryOrFields_Answer400NamingTheFieldAndWhy()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var issuer = await TestCdsIssuer.StartAsync(cancellationToken: ct);
        await using var server = await PmedServer.StartAsync(
            new Dictionary<string, string> { ["Cds__TrustedIssuers"] = issuer.TrustedIssuersSetting }, ServeHostileInputTests.StackConnection(stack, _database));

        var gets = new (string Path, string Error)[]
        {
            ("files?pageSize=+5", "pageSize must be a number from 1 to 200."),
            ("files?pageSize=%205", "pageSize must be a number from 1 to 200."),
            ("files?pageSize=0x10", "pageSize must be a number from 1 to 200."),
            ("files?state=Failed&state=Completed", "state is given more than once; give it once."),
            ("files?pageSize=5&pageSize=6", "pageSize is given more than once; give it once."),
            ("files?include=,,", "include accepts only fileName."),
            ("files/file-strict?include=fileName&include=fileName", "include is given more than once; give it once."),
            ("files/file-strict?include=,", "include accepts only fileName."),
        };
        var answers = new List<(string Label, HttpStatusCode Status, string Text, string Error)>();
        foreach (var (path, error) in gets)
        {
            using var response = await server.Http.GetAsync(path, ct);
            answers.Add((path, response.StatusCode, await response.Content.ReadAsStringAsync(ct), error));
        }

        var feedbackUrl = new Uri(server.Api, ServeHostileInputTests.PgxService + "/feedback");
        foreach (var stamp in new[] { "12/06/2026 09:30:00", "2026-12-06T09:30:00", "2026-12-06", "Dec 6 2026 9:30Z" })
        {
            var body = $$"""{"feedback":[{"card":"{{ServeHostileInputTests.Card}}","outcome":"accepted","outcomeTimestamp":"{{stamp}}"}]}""";
            var (status, text) = await ServeHostileInputTests.PostAsync(
                server, feedbackUrl, ServeHostileInputTests.Utf8(body), issuer.Token(new Uri(server.Api, ServeHostileInputTests.PgxService)), ct);
            answers.Add(($"outcomeTimestamp {stamp}", status, text,
                "feedback.outcomeTimestamp must be an ISO 8601 instant with seconds and its zone, e.g. 2026-12-06T09:30:00Z"));
        }

        var hookUrl = new Uri(server.Api, ServeHostileInputTests.PgxService);
        foreach (var patient in new[] { "..", ".", "p 1", "p%2F1", new string('p', 65) })
        {
            var body = $$$"""{"hook":"order-select","hookInstance":"h","context":{"userId":"u","patientId":"{{{patient}}}","draftOrders":{"resourceType":"Bundle","entry":[]},"selections":[]}}""";
            var (status, text) = await ServeHostileInputTests.PostAsync(server, hookUrl, ServeHostileInputTests.Utf8(body), issuer.Token(hookUrl), ct);
            answers.Add(($"patientId {patient}", status, text, "context.patientId must be a FHIR id: 1 to 64 letters, digits, '-' or '.', not dots only"));
        }

        var plain = await server.Http.GetAsync("files?pageSize=5&state=Failed", ct);
        var run = await server.StopAsync();

        foreach (var (label, status, text, error) in answers)
        {
            Assert.True(status == HttpStatusCode.BadRequest, $"{label}: {(int)status} {text}");
            Assert.Equal(error, (string?)JsonNode.Parse(text)!["error"]);
        }

        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        Assert.DoesNotContain(" failed", run.Stderr, StringComparison.Ordinal);
    }
}
