using System.Net;
using System.Text.Json.Nodes;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Testing.Cds;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>
/// <c>pmed serve</c> on the local stack called over real HTTP with ids, names and values it does not know: a file id of
/// any length, an operation or parameter name made up, a variant it cannot read, a hook it does not answer. Each answer
/// says what is wrong without quoting what was sent (an id or a variant may be PHI); an id is quoted only when it has an
/// id's short shape.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class ServeNoEchoTests(LocalStackFixture stack)
{
    /// <summary>Sent in every value below: it must appear in no answer.</summary>
    private const string Marker = "ZqEchoMarker";

    private readonly string _database = "pmed-cli-echo-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Serve_UnknownIdsNamesAndValues_AreAnsweredWithoutQuotingThem()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var issuer = await TestCdsIssuer.StartAsync(cancellationToken: ct);
        await using var server = await PmedServer.StartAsync(
            new Dictionary<string, string> { ["Cds__TrustedIssuers"] = issuer.TrustedIssuersSetting }, ServeHostileInputTests.StackConnection(stack, _database));
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
        var hookUrl = new Uri(server.Api, ServeHostileInputTests.PgxService);
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
}
