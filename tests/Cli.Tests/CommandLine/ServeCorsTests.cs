using System.Net;
using PrecisionMed.Cli.CommandLine;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>
/// <c>pmed serve --cors-origin</c> called as a browser calls it: the preflight (OPTIONS with Origin and
/// Access-Control-Request-Method) a browser-based CDS client such as the CDS Hooks sandbox sends before its POST, then the
/// call itself, over real HTTP. Discovery answers without any service, so nothing else need run.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class ServeCorsTests
{
    private const string Sandbox = "https://sandbox.cds-hooks.org";

    [Fact]
    public async Task Serve_CorsOrigin_AnswersTheBrowsersPreflightAndCall_AndRefusesOtherOrigins()
    {
        var cosmos = new Uri($"http://127.0.0.1:{ServeHttpFailureTests.ClosedPort()}/");
        await using var server = await PmedServer.StartAsync(
            ["--port", "0", "--embedded-knowledge", "--cors-origin", Sandbox, .. ServeHttpFailureTests.UnreachableServices(cosmos)]);
        var ct = TestContext.Current.CancellationToken;

        using var preflight = await server.Http.SendAsync(Preflight("cds-services/pgx-prescribing-order-select", Sandbox), ct);
        using var discovery = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "cds-services") { Headers = { { "Origin", Sandbox } } }, ct);
        using var strangerPreflight = await server.Http.SendAsync(Preflight("cds-services/pgx-prescribing-order-select", "https://evil.example"), ct);
        using var strangerCall = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "cds-services") { Headers = { { "Origin", "https://evil.example" } } }, ct);
        var run = await server.StopAsync();

        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal(Sandbox, Header(preflight, "Access-Control-Allow-Origin"));
        Assert.Contains("POST", Header(preflight, "Access-Control-Allow-Methods"), StringComparison.Ordinal);
        Assert.Contains("Authorization", Header(preflight, "Access-Control-Allow-Headers"), StringComparison.Ordinal);
        Assert.Contains("Content-Type", Header(preflight, "Access-Control-Allow-Headers"), StringComparison.Ordinal);
        Assert.Null(Header(preflight, "Access-Control-Allow-Credentials"));

        Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);
        Assert.Equal(Sandbox, Header(discovery, "Access-Control-Allow-Origin"));
        Assert.Equal("Origin", Header(discovery, "Vary"));

        Assert.Equal(HttpStatusCode.Forbidden, strangerPreflight.StatusCode);
        Assert.Contains("--cors-origin", await strangerPreflight.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Null(Header(strangerPreflight, "Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.OK, strangerCall.StatusCode); // the browser, not the server, withholds the answer
        Assert.Null(Header(strangerCall, "Access-Control-Allow-Origin"));
        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
    }

    [Fact]
    public async Task Serve_WithoutCorsOrigin_SendsNoCorsHeader()
    {
        var cosmos = new Uri($"http://127.0.0.1:{ServeHttpFailureTests.ClosedPort()}/");
        await using var server = await PmedServer.StartAsync(["--port", "0", "--embedded-knowledge", .. ServeHttpFailureTests.UnreachableServices(cosmos)]);
        var ct = TestContext.Current.CancellationToken;

        using var preflight = await server.Http.SendAsync(Preflight("cds-services/pgx-prescribing-order-select", Sandbox), ct);
        await server.StopAsync();

        Assert.Equal(HttpStatusCode.MethodNotAllowed, preflight.StatusCode);
        Assert.Null(Header(preflight, "Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("https://sandbox.cds-hooks.org/launch")]
    [InlineData("sandbox.cds-hooks.org")]
    [InlineData("ftp://sandbox.cds-hooks.org")]
    public async Task Serve_CorsOriginNotAnOrigin_IsAUsageError(string value)
    {
        var run = await Pmed.RunProcessAsync(null, ["serve", "--cors-origin", value, "--cosmos", "http://127.0.0.1:1/"]);

        Assert.True(run.Exit == ExitCodes.Usage, run.ToString());
        Assert.Contains("--cors-origin must be * or an origin: http(s)://host[:port], with no path.", run.Stderr, StringComparison.Ordinal);
        CommandLineParsingTests.AssertNoStack(run);
    }

    private static HttpRequestMessage Preflight(string path, string origin) => new(HttpMethod.Options, path)
    {
        Headers = { { "Origin", origin }, { "Access-Control-Request-Method", "POST" }, { "Access-Control-Request-Headers", "authorization,content-type" } },
    };

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : null;
}
