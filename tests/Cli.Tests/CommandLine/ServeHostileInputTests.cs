using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Testing.Cds;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>
/// <c>pmed serve</c> on the local stack called over real HTTP as a hostile but ordinary client calls it: JSON with a
/// repeated name, text that is not UTF-8 or holds an unpaired surrogate escape, members of another shape than FHIR's,
/// numbers past a long, a continuation no page gave, a request without a Host. Each is the caller's mistake: a 4xx that
/// says what is wrong, never a 500 naming an exception type, and the server stays up and logs no failure.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class ServeHostileInputTests(LocalStackFixture stack)
{
    internal const string PgxService = "cds-services/pgx-prescribing-order-select";
    private const string LoneSurrogate = "\\ud800";
    internal const string Card = "e531612a-fdfc-838c-a813-d3115d928904";

    private readonly string _database = "pmed-cli-hostile-" + Guid.NewGuid().ToString("N")[..10];

    private string[] Connection => StackConnection(stack, _database);

    /// <summary>pmed serve's options for the local stack, on any free port, with the embedded knowledge and its own database.</summary>
    internal static string[] StackConnection(LocalStackFixture stack, string database) =>
    [
        "--port", "0", "--embedded-knowledge", "--storage", stack.Stack.AzuriteConnectionString,
        "--fhir", stack.Stack.FhirBaseUrl.ToString(), "--cosmos", stack.Stack.CosmosEndpoint.ToString(), "--cosmos-key", stack.Stack.CosmosKey, "--database", database,
    ];

    /// <summary><c>pmed serve</c> on the local stack (<see cref="StackConnection"/>) trusting the test issuer's CDS Hooks JWTs.</summary>
    internal static Task<PmedServer> StartTrustingAsync(TestCdsIssuer issuer, LocalStackFixture stack, string database) =>
        PmedServer.StartAsync(new Dictionary<string, string> { ["Cds__TrustedIssuers"] = issuer.TrustedIssuersSetting }, StackConnection(stack, database));

    [Fact]
    public async Task Serve_JsonWithRepeatedNamesUndecodableTextOrOtherShapes_Answers400NamingTheProblem_NeverA500()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var issuer = await TestCdsIssuer.StartAsync(cancellationToken: ct);
        await using var server = await PmedServer.StartAsync(new Dictionary<string, string> { ["Cds__TrustedIssuers"] = issuer.TrustedIssuersSetting }, Connection);
        var order = """{"resourceType":"MedicationRequest","id":"mr1","status":"draft","intent":"order","medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"32968"}]}}""";
        string Hook(string resource, string extra = "") =>
            $$$"""{"hook":"order-select","hookInstance":"h-1"{{{extra}}},"context":{"userId":"Practitioner/u","patientId":"p-hostile","draftOrders":{"resourceType":"Bundle","entry":[{"resource":{{{resource}}}}]},"selections":["MedicationRequest/mr1"]}}""";
        var parameters = """{"resourceType":"Parameters","parameter":[{"name":"subject","valueString":"Patient/p-hostile"},{"name":"ranges","valueString":"NC_000005.10:1-2"}""";

        var cases = new (string Label, string Path, byte[] Body, HttpStatusCode Status, string Says)[]
        {
            ("hook: repeated name", PgxService, Utf8(Hook(order, ""","hook":"order-select" """)), HttpStatusCode.BadRequest, "repeats a property name"),
            ("hook: unpaired surrogate", PgxService, Utf8(Hook(order.Replace("32968", LoneSurrogate, StringComparison.Ordinal))), HttpStatusCode.BadRequest, "not valid UTF-8 (or an unpaired surrogate escape)"),
            ("hook: invalid UTF-8", PgxService, [.. Utf8("""{"hook":"order-select","hookInstance":"""), 0x22, 0xFF, 0xFE, 0x22, .. Utf8("}")], HttpStatusCode.BadRequest, "not valid UTF-8"),
            ("hook: codings of other shapes", PgxService,
                Utf8(Hook("""{"resourceType":"MedicationRequest","id":"mr1","medicationCodeableConcept":{"coding":[null,5,{"system":5,"code":[1]}],"text":7},"medicationReference":{"reference":5}}""")),
                HttpStatusCode.OK, "\"cards\""),
            ("hook: concept an array, contained of other shapes", PgxService,
                Utf8(Hook("""{"resourceType":"MedicationRequest","id":"mr1","medicationCodeableConcept":[1],"medicationReference":{"reference":"#m"},"contained":[null,{"resourceType":"Medication","id":"m","code":5,"ingredient":[5]}]}""")),
                HttpStatusCode.OK, "\"cards\""),
            ("hook: an entry that is a number", PgxService,
                Utf8("""{"hook":"order-select","hookInstance":"h","context":{"userId":"u","patientId":"p","draftOrders":{"resourceType":"Bundle","entry":[5]},"selections":[]}}"""),
                HttpStatusCode.BadRequest, "every context.draftOrders entry needs a resource"),
            ("feedback: repeated name", PgxService + "/feedback", Utf8($$"""{"feedback":[{"card":"{{Card}}","card":"{{Card}}"}]}"""), HttpStatusCode.BadRequest, "repeats a property name"),
            ("feedback: suggestion a string", PgxService + "/feedback",
                Utf8($$"""{"feedback":[{"card":"{{Card}}","outcome":"accepted","outcomeTimestamp":"2026-12-06T09:30:00Z","acceptedSuggestions":["x"]}]}"""),
                HttpStatusCode.BadRequest, "each acceptedSuggestions item needs its id"),
            ("genomics: resourceType a number", "genomics/$find-subject-variants", Utf8("""{"resourceType":5}"""), HttpStatusCode.BadRequest, "must be a FHIR Parameters resource"),
            ("genomics: repeated name", "genomics/$find-subject-variants", Utf8("""{"resourceType":"Parameters","resourceType":"Parameters"}"""), HttpStatusCode.BadRequest, "repeats a property name"),
            ("genomics: unpaired surrogate", "genomics/$find-subject-variants",
                Utf8(parameters.Replace("Patient/p-hostile", LoneSurrogate, StringComparison.Ordinal) + "]}"), HttpStatusCode.BadRequest, "unpaired surrogate escape"),
            ("genomics: valueBoolean a string", "genomics/$find-subject-variants",
                Utf8(parameters + """,{"name":"includeVariants","valueBoolean":"yes"}]}"""), HttpStatusCode.BadRequest, "valueBoolean is not true or false"),
            ("genomics: valueString a number", "genomics/$find-subject-variants",
                Utf8("""{"resourceType":"Parameters","parameter":[{"name":"subject","valueString":12},{"name":"ranges","valueString":"NC_000005.10:1-2"}]}"""),
                HttpStatusCode.BadRequest, "valueString is not a JSON string"),
            ("replay: reason an unpaired surrogate", "files/file-hostile/replay", Utf8($$"""{"reason":"{{LoneSurrogate}}"}"""), HttpStatusCode.NotFound, "file-hostile"),
        };

        foreach (var (label, path, body, status, says) in cases)
        {
            var url = new Uri(server.Api, path);
            var token = path.StartsWith("cds-", StringComparison.Ordinal) ? issuer.Token(new Uri(server.Api, PgxService)) : null;
            var (answered, text) = await PostAsync(server, url, body, token, ct);
            Assert.True(answered == status, $"{label}: {(int)answered} {text}");
            Assert.Contains(says, text, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        }

        // The EHR's JWT itself: a repeated header name or undecodable claim is refused as any bad token is (401), before any key is fetched.
        var header = TestCdsIssuer.Base64Url(Encoding.UTF8.GetBytes("""{"alg":"RS384","alg":"none","kid":"test-ehr-key-1"}"""));
        var claims = TestCdsIssuer.Base64Url(Encoding.UTF8.GetBytes($$"""{"iss":"{{LoneSurrogate}}"}"""));
        var valid = issuer.Token(new Uri(server.Api, PgxService)).Split('.');
        var hookBody = Utf8(Hook(order));
        var repeatedAlg = await PostAsync(server, new Uri(server.Api, PgxService), hookBody, $"{header}.{valid[1]}.{valid[2]}", ct);
        var undecodableIssuer = await PostAsync(server, new Uri(server.Api, PgxService), hookBody, $"{valid[0]}.{claims}.{valid[2]}", ct);
        Assert.True(repeatedAlg.Status == HttpStatusCode.Unauthorized, repeatedAlg.Text);
        Assert.Contains("the JWT's header must be a JSON object; it repeats a property name", (string?)JsonNode.Parse(repeatedAlg.Text)!["error"], StringComparison.Ordinal);
        Assert.True(undecodableIssuer.Status == HttpStatusCode.Unauthorized, undecodableIssuer.Text);
        Assert.Contains("the JWT's payload must be a JSON object", (string?)JsonNode.Parse(undecodableIssuer.Text)!["error"], StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("health", ct)).StatusCode);
        var run = await server.StopAsync();
        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        Assert.DoesNotContain(" failed", run.Stderr, StringComparison.Ordinal);
        CommandLineParsingTests.AssertNoStack(run);
    }

    [Theory]
    [InlineData("find-subject-specific-variants", "subject=Patient/p-hostile&variants=NC_000001.10:99999999999999999999:G:A", "a position is too large")]
    [InlineData("find-population-specific-variants", "variants=NC_000001.10:100:99999999999999999999:", "a position is too large")]
    [InlineData("find-population-specific-variants", "variants=NC_000005.9:g.99999999999999999999A%3ET", "a position is too large")]
    [InlineData("find-population-molecular-consequences", "variants=NC_000005.9:g.1_99999999999999999999del", "a position is too large")]
    [InlineData("find-population-specific-variants", "variants=NC_000005.9:g.0A%3ET", "HGVS positions count from 1")]
    public async Task Serve_GenomicsVariantPastALongOrAtPositionZero_Answers400NamingVariants(string operation, string query, string reason)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await PmedServer.StartAsync(Connection);

        var response = await server.Http.GetAsync($"genomics/${operation}?{query}", ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        var run = await server.StopAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {text}");
        var issue = JsonNode.Parse(text)!["issue"]![0]!;
        Assert.Equal("variants", (string?)issue["expression"]![0]);
        Assert.EndsWith(reason, (string?)issue["diagnostics"], StringComparison.Ordinal);
        Assert.DoesNotContain(" failed", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_FilesWithAContinuationNoPageGave_Answers400_NotCosmosUnavailable()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await PmedServer.StartAsync(Connection);

        var first = await server.Http.GetAsync("files?pageSize=5", ct);
        var foreign = await server.Http.GetAsync("files?continuation=not-a-token-of-ours", ct);
        var text = await foreign.Content.ReadAsStringAsync(ct);
        var run = await server.StopAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True(foreign.StatusCode == HttpStatusCode.BadRequest, $"{(int)foreign.StatusCode} {text}");
        Assert.StartsWith("continuation must be the continuation a previous page answered", (string?)JsonNode.Parse(text)!["error"], StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-token-of-ours", text, StringComparison.Ordinal);
        Assert.DoesNotContain("(answered 503)", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_Http10RequestWithoutHost_IsAnswered_NotA500()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await PmedServer.StartAsync(Connection);

        // HTTP/1.0 needs no Host header; HttpClient always sends one, so the request is written by hand.
        var answer = await server.SendRawAsync("GET /api/health HTTP/1.0\r\n\r\n", ct);
        var run = await server.StopAsync();

        Assert.StartsWith("HTTP/1.1 200", answer, StringComparison.Ordinal);
        Assert.Contains("\"status\": \"ok\"", answer, StringComparison.Ordinal);
        Assert.DoesNotContain(" failed", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_RequestLineHeadersOrBodyFramingPastWhatKestrelReads_AnswersTheApisJsonError()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await PmedServer.StartAsync(["--port", "0", .. ServeHttpFailureTests.UnreachableServices(new Uri($"http://127.0.0.1:{ServeHttpFailureTests.ClosedPort()}/"))]);
        const string Close = "Host: 127.0.0.1\r\nConnection: close\r\n";
        var manyHeaders = string.Concat(Enumerable.Range(0, 150).Select(i => $"X-Header-{i}: v\r\n"));

        var cases = new (string Label, string Request, int Status, string Error)[]
        {
            ("a 9,000-character query", $"GET /api/health?q={new string('q', 9_000)} HTTP/1.1\r\n{Close}\r\n", 414,
                "The request's path and query are longer than this server accepts (8,192 characters)."),
            ("a 40,000-byte header", $"GET /api/health HTTP/1.1\r\n{Close}X-Big: {new string('h', 40_000)}\r\n\r\n", 431,
                "The request's headers are larger than this server accepts (100 lines, 32,768 bytes)."),
            ("150 headers", $"GET /api/health HTTP/1.1\r\n{Close}{manyHeaders}\r\n", 431,
                "The request's headers are larger than this server accepts (100 lines, 32,768 bytes)."),
            ("a malformed chunk", $"POST /api/{PgxService} HTTP/1.1\r\n{Close}Transfer-Encoding: chunked\r\n\r\nzz\r\n{{}}\r\n0\r\n\r\n", 400,
                "The request body is not well-formed HTTP (its Content-Length or chunked framing); it was not read."),
        };
        foreach (var (label, request, status, error) in cases)
        {
            var answer = await server.SendRawAsync(request, ct);
            Assert.True(answer.StartsWith($"HTTP/1.1 {status} ", StringComparison.Ordinal), $"{label}: {answer[..Math.Min(answer.Length, 300)]}");
            Assert.Contains("Content-Type: application/json", answer, StringComparison.Ordinal);
            Assert.Equal(error, (string?)JsonNode.Parse(answer[(answer.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..])!["error"]);
        }

        // Not HTTP at all: Kestrel answers before any of the app runs, without a body (README, pmed serve).
        var notHttp = await server.SendRawAsync("NOT HTTP\r\n\r\n", ct);
        var run = await server.StopAsync();

        Assert.StartsWith("HTTP/1.1 400 ", notHttp, StringComparison.Ordinal);
        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        Assert.DoesNotContain(" failed", run.Stderr, StringComparison.Ordinal);
    }

    internal static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    internal static async Task<(HttpStatusCode Status, string Text)> PostAsync(PmedServer server, Uri url, byte[] body, string? token, CancellationToken ct)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await server.Http.SendAsync(request, ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(ct));
    }
}
