using System.Net;
using System.Text.Json.Nodes;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Testing.Stack;
using Xunit;
using Xunit.Sdk;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>
/// <c>pmed serve</c> typed in a shell (a child process on the Cosmos emulator and Azurite) and called over real HTTP
/// from outside, as an integrator's client or curl calls it.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class ServeCommandLineTests(LocalStackFixture stack)
{
    private readonly string _database = "pmed-cli-serve-" + Guid.NewGuid().ToString("N")[..10];

    private string[] Connection =>
    [
        "--cosmos", stack.Stack.CosmosEndpoint.ToString(), "--cosmos-key", stack.Stack.CosmosKey, "--database", _database,
        "--storage", stack.Stack.AzuriteConnectionString, "--queue", "lab-reports-" + _database[^10..],
    ];

    [Fact]
    public async Task Serve_AnyPort_AnswersOverHttp_AndStopsOnCtrlC()
    {
        await using var server = await PmedServer.StartAsync(["--port", "0", .. Connection]);
        var ct = TestContext.Current.CancellationToken;

        var health = await server.Http.GetAsync("health", ct);
        var list = await server.Http.GetAsync("files?state=Failed", ct);
        var unknown = await server.Http.GetAsync("files/no-such-file", ct);
        var replay = await server.Http.PostAsync("files/no-such-file/replay", new StringContent("{\"reason\":\"ticket 42\"}"), ct);
        var badState = await server.Http.GetAsync("files?state=Sideways", ct);
        var noRoute = await server.Http.GetAsync("no/such/endpoint", ct);
        var run = await server.StopAsync();

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal("application/json", list.Content.Headers.ContentType?.MediaType);
        Assert.Empty(JsonNode.Parse(await list.Content.ReadAsStringAsync(ct))!["files"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, replay.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badState.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noRoute.StatusCode);
        Assert.NotNull(JsonNode.Parse(await noRoute.Content.ReadAsStringAsync(ct))!["error"]);
        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        Assert.DoesNotContain("no-such-file", run.Stdout + run.Stderr, StringComparison.Ordinal); // nothing of a request is logged
    }

    [Fact]
    public async Task Stop_ServerInheritedSigintIgnored_FallsBackToSigtermAndFailsSayingSigintAppearsIgnored()
    {
        await using var server = await PmedServer.StartAsync(new Dictionary<string, string>(), ignoreSigint: true, ["--port", "0", .. Connection]);

        var failure = await Assert.ThrowsAsync<FailException>(() => server.StopAsync(TimeSpan.FromSeconds(3)));

        Assert.Contains("pmed serve did not exit within 3 s of SIGINT: SIGINT appears ignored", failure.Message, StringComparison.Ordinal);
        if (OperatingSystem.IsLinux()) Assert.Contains("lists it among the signals ignored", failure.Message, StringComparison.Ordinal);
        Assert.Contains("it exited on SIGTERM", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WithoutStorage_ExitsOneAndSaysWhy()
    {
        var run = await Pmed.RunProcessAsync(
            new Dictionary<string, string> { ["PMED_STORAGE"] = string.Empty },
            "serve", "--cosmos", stack.Stack.CosmosEndpoint.ToString(), "--cosmos-key", stack.Stack.CosmosKey);

        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.Contains("serve needs --storage", run.Stderr, StringComparison.Ordinal);
        CommandLineParsingTests.AssertNoStack(run);
    }

    [Fact]
    public async Task Serve_PortOutOfRange_ExitsOne()
    {
        var run = await Pmed.RunAsync(["serve", "--port", "70000", .. Connection]);

        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.Contains("--port must be a number from 0 to 65535", run.Stderr, StringComparison.Ordinal);
    }
}
