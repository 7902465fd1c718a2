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
/// <c>pmed serve</c> on the local stack called over real HTTP with what a lenient server would take: more in one call than
/// a call may carry (feedback items, each a Cosmos DB write; draft orders or selections, each a lookup), values a lenient
/// parser would read as something else (a signed page size, a parameter given twice, an include naming nothing, a
/// timestamp that is no ISO 8601 instant, a patient id of dots), and ids, names and values the server does not know. Each
/// is a 4xx naming the field and why, refused before any write or lookup, quoting nothing the call sent (an id or a
/// variant may be PHI) but an id of an id's short shape.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class ServeStrictInputTests(LocalStackFixture stack)
{
    private const string PgxService = ServeHostileInputTests.PgxService;

    /// <summary>Sent in every value of the echo test: it must appear in no answer.</summary>
    private const string Marker = "ZqEchoMarker";

    private readonly string _database = "pmed-cli-strict-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Serve_FeedbackOrDraftOrdersPastTheLimit_Answers400NamingTheLimit_StoresAndLooksUpNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var issuer = await TestCdsIssuer.StartAsync(cancellationToken: ct);
        await using var server = await StartAsync(issuer);
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

    [Fact]
    public async Task Serve_LenientlyReadableQueryOrFields_Answer400NamingTheFieldAndWhy()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var issuer = await TestCdsIssuer.StartAsync(cancellationToken: ct);
        await using var server = await StartAsync(issuer);

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
            ("files?stat=Failed", "A query parameter this endpoint does not read was given; it reads state, pageSize, continuation, include."),
            ("files?state=Failed&PageSize=5", "A query parameter this endpoint does not read was given; it reads state, pageSize, continuation, include."),
            ("files/file-strict?includ=fileName", "A query parameter this endpoint does not read was given; it reads include."),
        };
        var answers = new List<(string Label, HttpStatusCode Status, string Text, string Error)>();
        foreach (var (path, error) in gets)
        {
            using var response = await server.Http.GetAsync(path, ct);
            answers.Add((path, response.StatusCode, await response.Content.ReadAsStringAsync(ct), error));
        }

        var feedbackUrl = new Uri(server.Api, PgxService + "/feedback");
        foreach (var stamp in new[] { "12/06/2026 09:30:00", "2026-12-06T09:30:00", "2026-12-06", "Dec 6 2026 9:30Z" })
        {
            var body = $$"""{"feedback":[{"card":"{{ServeHostileInputTests.Card}}","outcome":"accepted","outcomeTimestamp":"{{stamp}}"}]}""";
            var (status, text) = await ServeHostileInputTests.PostAsync(
                server, feedbackUrl, ServeHostileInputTests.Utf8(body), issuer.Token(new Uri(server.Api, PgxService)), ct);
            answers.Add(($"outcomeTimestamp {stamp}", status, text,
                "feedback.outcomeTimestamp must be an ISO 8601 instant with seconds and its zone, e.g. 2026-12-06T09:30:00Z"));
        }

        var hookUrl = new Uri(server.Api, PgxService);
        foreach (var patient in new[] { "..", ".", "p 1", "p%2F1", new string('p', 65) })
        {
            var body = $$$"""{"hook":"order-select","hookInstance":"h","context":{"userId":"u","patientId":"{{{patient}}}","draftOrders":{"resourceType":"Bundle","entry":[]},"selections":[]}}""";
            var (status, text) = await ServeHostileInputTests.PostAsync(server, hookUrl, ServeHostileInputTests.Utf8(body), issuer.Token(hookUrl), ct);
            answers.Add(($"patientId {patient}", status, text, "context.patientId must be a FHIR id: 1 to 64 letters, digits, '-' or '.', not dots only"));
        }

        using var dotsSubject = await server.Http.GetAsync("genomics/$find-subject-variants?subject=Patient/..&ranges=NC_000001.11:1-2", ct);
        var dotsOutcome = JsonNode.Parse(await dotsSubject.Content.ReadAsStringAsync(ct))!["issue"]![0]!;
        var plain = await server.Http.GetAsync("files?pageSize=5&state=Failed", ct);
        var withKey = await server.Http.GetAsync("files?state=Failed&code=a-function-key", ct); // the Functions host's key parameter
        var run = await server.StopAsync();

        foreach (var (label, status, text, error) in answers)
        {
            Assert.True(status == HttpStatusCode.BadRequest, $"{label}: {(int)status} {text}");
            Assert.Equal(error, (string?)JsonNode.Parse(text)!["error"]);
        }

        Assert.Equal(HttpStatusCode.BadRequest, dotsSubject.StatusCode);
        Assert.Equal("Parameter 'subject': is not a Patient reference or id", (string?)dotsOutcome["diagnostics"]);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        Assert.DoesNotContain(" failed", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_UnknownIdsNamesAndValues_AreAnsweredWithoutQuotingThem()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var issuer = await TestCdsIssuer.StartAsync(cancellationToken: ct);
        await using var server = await StartAsync(issuer);
        var longId = Marker + new string('a', 4_000);

        var gets = new (string Label, string Path, HttpStatusCode Status, string Says)[]
        {
            ("file id of 4,000 characters", $"files/{longId}", HttpStatusCode.BadRequest, "fileId must be a ledger file id: 1 to 64 letters, digits, '-' or '.', not dots only."),
            ("file id with a space", $"files/{Marker}%20x", HttpStatusCode.BadRequest, "fileId must be a ledger file id"),
            ("unknown file id", $"files/{Marker}-1", HttpStatusCode.NotFound, "No file with this id is in the ledger."),
            ("unknown operation", $"genomics/${Marker}{new string('o', 2_000)}", HttpStatusCode.NotFound, "no Genomics Reporting operation has this name; the operations are $find-"),
            ("unreadable range", $"genomics/$find-subject-variants?subject=Patient/p-echo&ranges={Marker}:1-2", HttpStatusCode.BadRequest, "Parameter 'ranges': "),
            ("made-up parameter name", $"genomics/$find-subject-variants?subject=Patient/p-echo&ranges=NC_000001.11:1-2&{Marker}%20{new string('n', 500)}=1",
                HttpStatusCode.BadRequest, "A parameter (its name not quoted: not 1 to 64 letters, digits, '-' or '.', not dots only): is not a parameter of find-subject-variants"),
        };
        var answers = new List<(string Label, HttpStatusCode Status, string Text, HttpStatusCode Expected, string Says)>();
        foreach (var (label, path, status, says) in gets)
        {
            using var response = await server.Http.GetAsync(path, ct);
            answers.Add((label, response.StatusCode, await response.Content.ReadAsStringAsync(ct), status, says));
        }

        var replay = await ServeHostileInputTests.PostAsync(server, new Uri(server.Api, $"files/{longId}/replay"), ServeHostileInputTests.Utf8("{}"), null, ct);
        answers.Add(("replay of a 4,000-character id", replay.Status, replay.Text, HttpStatusCode.BadRequest, "fileId must be a ledger file id"));
        var hookUrl = new Uri(server.Api, PgxService);
        var hook = await ServeHostileInputTests.PostAsync(server, hookUrl, ServeHostileInputTests.Utf8(
            $$$"""{"hook":"{{{Marker}}}","hookInstance":"h","context":{"userId":"u","patientId":"p","draftOrders":{"resourceType":"Bundle","entry":[]},"selections":[]}}"""),
            issuer.Token(hookUrl), ct);
        answers.Add(("another hook", hook.Status, hook.Text, HttpStatusCode.BadRequest, "answers the order-select hook, not the one this call names"));
        var run = await server.StopAsync();

        foreach (var (label, status, text, expected, says) in answers)
        {
            Assert.True(status == expected, $"{label}: {(int)status} {text}");
            var json = JsonNode.Parse(text)!;
            Assert.Contains(says, (string?)json["error"] ?? (string?)json["issue"]![0]!["diagnostics"], StringComparison.Ordinal);
            Assert.DoesNotContain(Marker, text, StringComparison.Ordinal);
        }

        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        Assert.DoesNotContain(Marker, run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    /// <summary>pmed serve on the local stack with this test's database, taking the test issuer's CDS Hooks JWTs.</summary>
    private Task<PmedServer> StartAsync(TestCdsIssuer issuer) =>
        ServeHostileInputTests.StartTrustingAsync(issuer, stack, _database);
}
