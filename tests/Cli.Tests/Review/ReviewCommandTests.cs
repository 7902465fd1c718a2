using PrecisionMed.Cli.Review;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Cli.Tests.Review;

/// <summary>
/// <c>pmed review</c> wired to the real adapters on the local stack (the hold-and-release path itself is tested end to
/// end in Functions.Tests through the same <c>ReportReview</c>).
/// </summary>
[Trait("Tier", "Stack")]
public sealed class ReviewCommandTests(LocalStackFixture stack) : IDisposable
{
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    [Fact]
    public async Task List_NothingHeld_SaysSoAndExitsZero()
    {
        await using var services = ReviewRunner.BuildServices(Settings());

        var exit = await new ReviewRunner(services, _stdout, _stderr).ListAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ReviewRunner.ExitOk, exit);
        Assert.Contains("No report is held for review.", _stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Release_FileNotInTheLedger_ExitsTwoNamingTheFile()
    {
        await using var services = ReviewRunner.BuildServices(Settings());

        var exit = await new ReviewRunner(services, _stdout, _stderr).ReleaseAsync("lab-x-0123", unit: null, TestContext.Current.CancellationToken);

        Assert.Equal(ReviewRunner.ExitNotFound, exit);
        Assert.Equal("pmed review: File lab-x-0123 is not in the ledger.", _stderr.ToString().Trim());
    }

    [Fact]
    public async Task Reject_NoSettings_ExitsOneNamingTheSettingToAdd()
    {
        await using var services = ReviewRunner.BuildServices(new Dictionary<string, string?>());

        var exit = await new ReviewRunner(services, _stdout, _stderr).RejectAsync("f", 1, "wrong MRN", TestContext.Current.CancellationToken);

        Assert.Equal(ReviewRunner.ExitNotConfigured, exit);
        Assert.Contains("__", _stderr.ToString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _stdout.Dispose();
        _stderr.Dispose();
    }

    /// <summary>The function app's settings for the local stack, with a database and containers of this test's own.</summary>
    private Dictionary<string, string?> Settings()
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        return new Dictionary<string, string?>
        {
            ["LabStorage"] = stack.Stack.AzuriteConnectionString,
            ["LabStorage:CreateIfMissing"] = "true",
            ["Notifications:QueueName"] = "genomic-results-" + suffix,
            ["Cosmos:Endpoint"] = stack.Stack.CosmosEndpoint.ToString(),
            ["Cosmos:EmulatorKey"] = stack.Stack.CosmosKey,
            ["Cosmos:Database"] = "precisionmed-" + suffix,
            ["Cosmos:CreateIfMissing"] = "true",
            ["Fhir:BaseUrl"] = stack.Stack.FhirBaseUrl.ToString(),
        };
    }
}
