using System.Net;
using System.Text.Json.Nodes;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Testing.Cds;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>
/// The CDS Hooks specification's own feedback examples (tests/TestData/cds-hooks, byte for byte) sent to <c>pmed serve</c>
/// over real HTTP: stored, and counted under the kind their card UUIDs carry. Theirs are the spec's UUIDs, no card this
/// service gave, so they are counted as <c>unknown</c>, never as one of the service's card kinds; the clinician's comment
/// is kept nowhere.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class CdsSpecFeedbackServeTests(LocalStackFixture stack)
{
    private readonly string _database = "pmed-cli-cdsfb-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task SpecFeedbackExamples_Stored_CountedAsUnknownCards_NotAsAKindTheServiceGives()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var issuer = await TestCdsIssuer.StartAsync(cancellationToken: ct);
        await using var server = await ServeHostileInputTests.StartTrustingAsync(issuer, stack, _database);
        var service = new Uri(server.Api, ServeHostileInputTests.PgxService);

        var answers = new List<(HttpStatusCode Status, string Text)>();
        foreach (var example in new[] { "feedback-suggestion-accepted.json", "feedback-overridden-with-reason.json" })
            answers.Add(await ServeHostileInputTests.PostAsync(server, new Uri(server.Api, ServeHostileInputTests.PgxService + "/feedback"), Body(example), issuer.Token(service), ct));
        var counts = await server.Http.GetStringAsync("cds-feedback", ct);
        var run = await server.StopAsync();

        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.OK, a.Text));
        var feedback = JsonNode.Parse(counts)!["feedback"]!.AsArray();
        Assert.Equal(2, feedback.Count);
        Assert.All(feedback, c => Assert.Equal("unknown", (string?)c!["kind"]));
        Assert.Contains(feedback, c => (string?)c!["outcome"] == "accepted" && (long)c["count"]! == 1);
        Assert.Contains(feedback, c => (string?)c!["outcome"] == "overridden" && (string?)c["overrideReason"] == "d7ecf885" && (long)c["count"]! == 1);
        Assert.DoesNotContain("A comment entered by the clinician", counts + run.Stdout + run.Stderr, StringComparison.Ordinal);
        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
    }

    /// <summary>The example's body: its code block after the spec's request line (tests/TestData/cds-hooks/README.md).</summary>
    private static byte[] Body(string example)
    {
        var block = File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, "tests", "TestData", "cds-hooks", example));
        return block[(block.AsSpan().IndexOf("\n\n"u8) + 2)..];
    }
}
