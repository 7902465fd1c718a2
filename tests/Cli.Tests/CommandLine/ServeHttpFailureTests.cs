using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using PrecisionMed.Cli.CommandLine;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>
/// <c>pmed serve</c> typed in a shell when something around it is wrong, called over real HTTP from outside as a client or
/// curl calls it. No emulator: Cosmos DB and Storage are loopback ports nothing listens on.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class ServeHttpFailureTests
{
    private const string EmulatorKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    private readonly Uri _cosmos = new($"http://127.0.0.1:{ClosedPort()}/");

    private string[] Unreachable => UnreachableServices(_cosmos);

    /// <summary>pmed serve's service options, each at a loopback port nothing listens on.</summary>
    internal static string[] UnreachableServices(Uri cosmos) =>
    [
        "--cosmos", cosmos.ToString(), "--cosmos-key", EmulatorKey,
        "--storage", $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={EmulatorKey};QueueEndpoint=http://127.0.0.1:{ClosedPort()}/devstoreaccount1;BlobEndpoint=http://127.0.0.1:{ClosedPort()}/devstoreaccount1",
    ];

    [Fact]
    public async Task Serve_PortInUse_ExitsOneSayingThePortIsTaken()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var run = await Pmed.RunProcessAsync(null, ["serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. Unreachable]);

        Assert.True(run.Exit == ExitCodes.Usage, run.ToString());
        Assert.Equal(new[] { $"pmed serve: port {port} on 127.0.0.1 is already in use; choose another with --port (0 takes any free one)." }, run.StderrLines);
        CommandLineParsingTests.AssertNoStack(run);
    }

    [Fact]
    public async Task Serve_CosmosUnreachable_Answers503NamingCosmos_AndLogsItsUrl()
    {
        // --embedded-knowledge: the knowledge for CDS comes from pmed, the reinterpretation logs still from Cosmos DB.
        await using var server = await PmedServer.StartAsync(["--port", "0", "--embedded-knowledge", .. Unreachable]);
        var ct = TestContext.Current.CancellationToken;

        var answers = new List<(string Request, HttpResponseMessage Response)>
        {
            ("GET files", await server.Http.GetAsync("files?state=Failed", ct)),
            ("GET files/{id}", await server.Http.GetAsync("files/file-0001", ct)),
            ("POST replay", await server.Http.PostAsync("files/file-0001/replay", new StringContent("{\"reason\":\"ticket 42\"}"), ct)),
            ("GET reinterpretations", await server.Http.GetAsync("reinterpretations", ct)),
            ("GET cds-feedback", await server.Http.GetAsync("cds-feedback", ct)),
            ("GET genomics", await server.Http.GetAsync("genomics/$find-subject-variants?subject=Patient/p-0001&ranges=NC_000001.11:1-1000", ct)),
        };
        var health = await server.Http.GetAsync("health", ct);
        var run = await server.StopAsync();

        foreach (var (request, response) in answers)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{request}: {(int)response.StatusCode} {body}");
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var json = JsonNode.Parse(body)!;
            Assert.Equal("Cosmos DB", (string?)json["service"]);
            Assert.Contains("Cosmos DB is unavailable (connection refused)", (string?)json["error"], StringComparison.Ordinal);
            Assert.DoesNotContain("127.0.0.1", body, StringComparison.Ordinal); // the service's name, not where it is
            Assert.DoesNotContain("file-0001", body, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        var logged = run.StderrLines;
        Assert.Equal(answers.Count, logged.Length);
        Assert.All(logged, line => Assert.EndsWith($": Cosmos DB at {_cosmos}: connection refused (answered 503)", line, StringComparison.Ordinal));
        Assert.Contains(logged, line => line.StartsWith("pmed serve: ReinterpretationStatusFunction: ", StringComparison.Ordinal));
        Assert.DoesNotContain(EmulatorKey, run.Stdout + run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("file-0001", run.Stdout + run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("p-0001", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_BodyPastTheLimit_Answers413()
    {
        await using var server = await PmedServer.StartAsync(["--port", "0", .. Unreachable]);
        var ct = TestContext.Current.CancellationToken;
        var fiftyMegabytes = new byte[50 * 1024 * 1024];

        using var sized = new ByteArrayContent(fiftyMegabytes);
        var genomics = await server.Http.PostAsync("genomics/$find-subject-variants", sized, ct);
        using var chunked = new StreamContent(new MemoryStream(fiftyMegabytes)); // no length: sent chunked, refused when it passes the limit
        var cds = await server.Http.PostAsync("cds-services/pgx-prescribing-order-select", chunked, ct);
        var health = await server.Http.GetAsync("health", ct);
        var run = await server.StopAsync();

        foreach (var response in new[] { genomics, cds })
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("The request body is larger than this server accepts (30,000,000 bytes).",
                (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!["error"]);
        }

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        Assert.Empty(run.StderrLines);
    }

    [Fact]
    public async Task Serve_WrongMethodOnARoute_Answers405WithAllow()
    {
        await using var server = await PmedServer.StartAsync(["--port", "0", .. Unreachable]);
        var ct = TestContext.Current.CancellationToken;

        var postHealth = await server.Http.PostAsync("health", new StringContent("{}"), ct);
        var getCdsService = await server.Http.GetAsync("cds-services/pgx-prescribing-order-select", ct);
        var deleteGenomics = await server.Http.DeleteAsync("genomics/$find-subject-variants", ct);
        var getHealth = await server.Http.GetAsync("health", ct);
        var noRoute = await server.Http.PostAsync("no/such/endpoint", new StringContent("{}"), ct);
        var run = await server.StopAsync();

        Assert.Equal(HttpStatusCode.MethodNotAllowed, postHealth.StatusCode);
        Assert.Equal("GET, HEAD", string.Join(", ", postHealth.Content.Headers.Allow));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, getCdsService.StatusCode);
        Assert.Equal("POST", string.Join(", ", getCdsService.Content.Headers.Allow));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, deleteGenomics.StatusCode);
        Assert.Equal("GET, HEAD, POST", string.Join(", ", deleteGenomics.Content.Headers.Allow));
        Assert.Equal("This path takes GET, HEAD, POST only.", (string?)JsonNode.Parse(await deleteGenomics.Content.ReadAsStringAsync(ct))!["error"]);
        Assert.Equal(HttpStatusCode.OK, getHealth.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noRoute.StatusCode);
        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
    }

    [Fact]
    public async Task Serve_HeadOnAGetEndpoint_AnswersAsGetWithoutTheBody()
    {
        await using var server = await PmedServer.StartAsync(["--port", "0", "--embedded-knowledge", .. Unreachable]);
        var ct = TestContext.Current.CancellationToken;

        var answers = new List<(string Path, HttpResponseMessage Get, HttpResponseMessage Head)>();
        foreach (var path in new[] { "health", "cds-services", "files?state=Failed" })
        {
            var get = await server.Http.GetAsync(path, ct);
            answers.Add((path, get, await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path), ct)));
        }

        var headOnPost = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "cds-services/pgx-prescribing-order-select"), ct);
        var run = await server.StopAsync();

        foreach (var (path, get, head) in answers)
        {
            var getBody = await get.Content.ReadAsByteArrayAsync(ct);
            Assert.True(head.StatusCode == get.StatusCode, $"HEAD {path}: {(int)head.StatusCode}, GET {(int)get.StatusCode}");
            Assert.Equal(get.Content.Headers.ContentType?.ToString(), head.Content.Headers.ContentType?.ToString());
            Assert.Equal(getBody.Length, head.Content.Headers.ContentLength);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync(ct));
        }

        Assert.Equal(HttpStatusCode.OK, answers[0].Head.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, answers[2].Head.StatusCode); // GET's answer: Cosmos DB is not there
        Assert.Equal(HttpStatusCode.MethodNotAllowed, headOnPost.StatusCode);
        Assert.Equal("POST", string.Join(", ", headOnPost.Content.Headers.Allow));
        Assert.Empty(await headOnPost.Content.ReadAsByteArrayAsync(ct));
        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
    }

    /// <summary>A loopback port nothing listens on (taken from the system and released), so a connection to it is refused.</summary>
    internal static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
